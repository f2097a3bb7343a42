/**
 * Auto-configuration of the broadcaster's Actuator health indicator and endpoint.
 */
@NullMarked
package dev.ssebroadcast.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
