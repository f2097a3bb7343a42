package dev.ssebroadcast.autoconfigure.metrics;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseDeliveryListener;
import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.autoconfigure.SseBroadcastProperties;
import dev.ssebroadcast.metrics.SseBroadcasterMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code sse.*} meters when Micrometer is present.
 */
@AutoConfiguration(after = SseBroadcastAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ SseBroadcaster.class, MeterRegistry.class })
public final class SseBroadcastMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseBroadcasterMetrics sseBroadcasterMetrics(SseBroadcaster broadcaster, SseBroadcastProperties properties) {
		return new SseBroadcasterMetrics(broadcaster, properties.getTopics().keySet());
	}

	// One delivery listener among any of the application's, which the broadcaster all
	// tells: only a bean of this name replaces it.
	@Bean
	@ConditionalOnMissingBean(name = "sseDeliveryLagTimer")
	SseDeliveryListener sseDeliveryLagTimer(MeterRegistry registry) {
		return SseBroadcasterMetrics.deliveryLagTimer(registry);
	}

}
