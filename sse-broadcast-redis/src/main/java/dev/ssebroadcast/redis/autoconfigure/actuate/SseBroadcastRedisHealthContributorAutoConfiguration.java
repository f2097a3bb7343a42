package dev.ssebroadcast.redis.autoconfigure.actuate;

import dev.ssebroadcast.redis.SseRedisRelay;
import dev.ssebroadcast.redis.actuate.SseRedisRelayHealthIndicator;
import dev.ssebroadcast.redis.autoconfigure.SseBroadcastRedisAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code sseRelay} health indicator when health support is
 * present.
 */
@AutoConfiguration(after = SseBroadcastRedisAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ Health.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(SseRedisRelay.class)
@ConditionalOnEnabledHealthIndicator("sse-relay")
public final class SseBroadcastRedisHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "sseRelayHealthIndicator")
	SseRedisRelayHealthIndicator sseRelayHealthIndicator(SseRedisRelay relay) {
		return new SseRedisRelayHealthIndicator(relay);
	}

}
