/**
 * A relay that lets several instances share events, their order and their replay
 * through one Redis Stream: {@link dev.ssebroadcast.redis.SseRedisRelay}.
 */
@NullMarked
package dev.ssebroadcast.redis;

import org.jspecify.annotations.NullMarked;
