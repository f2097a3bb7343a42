/**
 * Auto-configuration of the Redis relay's health indicator.
 */
@NullMarked
package dev.ssebroadcast.redis.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
