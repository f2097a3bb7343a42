package dev.ssebroadcast.redis.autoconfigure;

import java.util.List;

import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.redis.RelayLagListener;
import dev.ssebroadcast.redis.SseRedisRelay;
import dev.ssebroadcast.relay.SseRelay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of an {@link SseRedisRelay} on the application's Redis connection
 * factory, which the broadcaster then publishes through. Adding the module is the
 * opt-in; {@code sse.broadcast.redis.enabled=false} turns it off.
 */
@AutoConfiguration(before = SseBroadcastAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "sse.broadcast.redis.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SseBroadcastRedisProperties.class)
public final class SseBroadcastRedisAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SseBroadcastRedisAutoConfiguration.class);

	@Bean(destroyMethod = "stop")
	@ConditionalOnMissingBean(SseRelay.class)
	SseRedisRelay sseRedisRelay(RedisConnectionFactory connectionFactory, SseBroadcastRedisProperties properties,
			ObjectProvider<RelayLagListener> lagListener) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalStateException("sse-broadcast-redis needs Lettuce, Spring Boot's default Redis client, "
					+ "but the RedisConnectionFactory is a " + connectionFactory.getClass().getName()
					+ "; use Lettuce or set sse.broadcast.redis.enabled=false");
		}
		SseBroadcastRedisProperties.Backoff backoff = properties.getReader().getBackoff();
		if (backoff.getMax().compareTo(backoff.getMin()) < 0) {
			throw new IllegalArgumentException("sse.broadcast.redis.reader.backoff.max must be at least "
					+ "sse.broadcast.redis.reader.backoff.min (" + backoff.getMin() + "), but was " + backoff.getMax());
		}
		SseRedisRelay.Builder builder = SseRedisRelay.builder(lettuce)
			.keyPrefix(properties.getKeyPrefix())
			.maxLength(properties.getRetention().getMaxLength())
			.maxAge(properties.getRetention().getMaxAge())
			.publishTimeout(properties.getPublishTimeout())
			.blockTimeout(properties.getReader().getBlockTimeout())
			.batchSize(properties.getReader().getBatchSize())
			.batchBytes(properties.getReader().getBatchBytes().toBytes())
			.backoff(backoff.getMin(), backoff.getMax());
		// Every listener is told, in order: a user's listener does not silence the timer.
		List<RelayLagListener> lagListeners = lagListener.orderedStream().toList();
		if (!lagListeners.isEmpty()) {
			builder.lagListener((lagNanos) -> lagListeners.forEach((listener) -> listener.delivered(lagNanos)));
		}
		SseRedisRelay relay = builder.build();
		// Adding the module is enough to turn the relay on: say so, and where it shares events.
		logger.info("Sharing events between instances through Redis at " + relay.status().address() + ", stream '"
				+ relay.status().stream() + "' (sse.broadcast.redis.key-prefix=" + properties.getKeyPrefix()
				+ "); sse.broadcast.redis.enabled=false turns this off");
		return relay;
	}

}
