/**
 * Health of the Redis relay, for Spring Boot Actuator.
 */
@NullMarked
package dev.ssebroadcast.redis.actuate;

import org.jspecify.annotations.NullMarked;
