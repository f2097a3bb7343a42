/**
 * Auto-configuration of the Redis relay's meters.
 */
@NullMarked
package dev.ssebroadcast.redis.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
