/**
 * Micrometer meters for a broadcaster.
 */
@NullMarked
package dev.ssebroadcast.metrics;

import org.jspecify.annotations.NullMarked;
