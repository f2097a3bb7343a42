/**
 * Meters of the Redis relay, named {@code sse.relay.*}.
 */
@NullMarked
package dev.ssebroadcast.redis.metrics;

import org.jspecify.annotations.NullMarked;
