package dev.ssebroadcast.autoconfigure.actuate;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.actuate.SseBroadcasterHealthIndicator;
import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code sse} health indicator when health support is present.
 */
@AutoConfiguration(after = SseBroadcastAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ Health.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(SseBroadcaster.class)
@ConditionalOnEnabledHealthIndicator("sse")
public final class SseBroadcastHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "sseHealthIndicator")
	SseBroadcasterHealthIndicator sseHealthIndicator(SseBroadcaster broadcaster) {
		return new SseBroadcasterHealthIndicator(broadcaster);
	}

}
