package dev.ssebroadcast.autoconfigure;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseDataEncoder;
import dev.ssebroadcast.SseDeliveryListener;
import dev.ssebroadcast.relay.SseRelay;
import dev.ssebroadcast.web.SseEndpoint;
import dev.ssebroadcast.web.SseSubscriptionInterceptor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of an {@link SseBroadcaster} and the Spring MVC endpoint that
 * streams its events to browsers.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "sse.broadcast.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SseBroadcastProperties.class)
public final class SseBroadcastAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseBroadcaster sseBroadcaster(SseBroadcastProperties properties, ObjectProvider<SseDataEncoder> dataEncoder,
			ObjectProvider<SseDeliveryListener> deliveryListener, ObjectProvider<SseRelay> relay) {
		SseBroadcaster.Builder builder = SseBroadcaster.builder()
			.clientQueueCapacity(properties.getClientQueueCapacity())
			.heartbeat(properties.getHeartbeat())
			.retry(properties.getRetry())
			.maxEventSize((int) properties.getMaxEventSize().toBytes())
			.maxClients(properties.getMaxClients())
			.maxTopicsPerClient(properties.getMaxTopicsPerClient())
			.overflow(properties.getOverflow())
			.historySize(properties.getHistory().getSize())
			.historyMaxAge(properties.getHistory().getMaxAge())
			.dataEncoder(dataEncoder.getIfAvailable(() -> SseDataEncoder.TEXT_ONLY));
		deliveryListener.ifUnique(builder::deliveryListener);
		relay.ifAvailable(builder::relay);
		properties.getTopics().forEach((topic, settings) -> {
			if (settings.getOverflow() != null) {
				builder.overflow(topic, settings.getOverflow());
			}
		});
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	SseEndpoint sseEndpoint(SseBroadcaster broadcaster, ObjectProvider<SseSubscriptionInterceptor> interceptors) {
		return new SseEndpoint(broadcaster, interceptors.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	SseBroadcasterLifecycle sseBroadcasterLifecycle(SseBroadcaster broadcaster) {
		return new SseBroadcasterLifecycle(broadcaster);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ JsonMapper.class, JacksonAutoConfiguration.class })
	static class JsonDataConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(JsonMapper.class)
		SseDataEncoder sseDataEncoder(JsonMapper jsonMapper) {
			return (data) -> {
				try {
					return jsonMapper.writeValueAsString(data);
				}
				catch (JacksonException ex) {
					throw new IllegalArgumentException(
							"Cannot write " + data.getClass().getName() + " as JSON: " + ex.getOriginalMessage(), ex);
				}
			};
		}

	}

}
