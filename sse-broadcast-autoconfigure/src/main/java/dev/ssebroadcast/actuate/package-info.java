/**
 * Actuator health and endpoint for a broadcaster.
 */
@NullMarked
package dev.ssebroadcast.actuate;

import org.jspecify.annotations.NullMarked;
