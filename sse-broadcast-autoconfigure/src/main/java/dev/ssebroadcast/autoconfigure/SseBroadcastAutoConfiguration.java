package dev.ssebroadcast.autoconfigure;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.web.SseEndpoint;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of an {@link SseBroadcaster} and the Spring MVC endpoint that
 * streams its events to browsers.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "sse.broadcast.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SseBroadcastProperties.class)
public final class SseBroadcastAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseBroadcaster sseBroadcaster(SseBroadcastProperties properties) {
		return new SseBroadcaster(properties.getClientQueueCapacity(), properties.getHeartbeat());
	}

	@Bean
	@ConditionalOnMissingBean
	SseEndpoint sseEndpoint(SseBroadcaster broadcaster) {
		return new SseEndpoint(broadcaster);
	}

	@Bean
	@ConditionalOnMissingBean
	SseBroadcasterLifecycle sseBroadcasterLifecycle(SseBroadcaster broadcaster) {
		return new SseBroadcasterLifecycle(broadcaster);
	}

}
