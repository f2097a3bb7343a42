package dev.ssebroadcast.redis.autoconfigure.metrics;

import dev.ssebroadcast.redis.RelayLagListener;
import dev.ssebroadcast.redis.SseRedisRelay;
import dev.ssebroadcast.redis.autoconfigure.SseBroadcastRedisAutoConfiguration;
import dev.ssebroadcast.redis.metrics.SseRedisRelayMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code sse.relay.*} meters when Micrometer is present.
 */
@AutoConfiguration(after = SseBroadcastRedisAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ SseRedisRelay.class, MeterRegistry.class })
public final class SseBroadcastRedisMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseRedisRelayMetrics sseRedisRelayMetrics(SseRedisRelay relay) {
		return new SseRedisRelayMetrics(relay);
	}

	@Bean
	@ConditionalOnMissingBean(name = "sseRelayLagTimer")
	RelayLagListener sseRelayLagTimer(MeterRegistry registry) {
		return SseRedisRelayMetrics.lagTimer(registry);
	}

}
