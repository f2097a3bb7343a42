/**
 * Auto-configuration of the broadcaster's Micrometer meters.
 */
@NullMarked
package dev.ssebroadcast.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
