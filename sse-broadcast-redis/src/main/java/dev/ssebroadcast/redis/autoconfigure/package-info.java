/**
 * Auto-configuration of the Redis relay and its properties, {@code sse.broadcast.redis.*}.
 */
@NullMarked
package dev.ssebroadcast.redis.autoconfigure;

import org.jspecify.annotations.NullMarked;
