package dev.ssebroadcast.autoconfigure.actuate;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.actuate.SseConnectionsEndpoint;
import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code sse} Actuator endpoint.
 */
@AutoConfiguration(after = SseBroadcastAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(SseBroadcaster.class)
@ConditionalOnAvailableEndpoint(SseConnectionsEndpoint.class)
public final class SseBroadcastEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseConnectionsEndpoint sseConnectionsEndpoint(SseBroadcaster broadcaster) {
		return new SseConnectionsEndpoint(broadcaster);
	}

}
