package dev.ssebroadcast.autoconfigure;

import java.util.List;
import java.util.function.Consumer;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClientListener;
import dev.ssebroadcast.SseDataEncoder;
import dev.ssebroadcast.SseDeliveryListener;
import dev.ssebroadcast.relay.SseRelay;
import dev.ssebroadcast.web.SseEndpoint;
import dev.ssebroadcast.web.SseRelayExceptionHandler;
import dev.ssebroadcast.web.SseStreamGuard;
import dev.ssebroadcast.web.SseSubscriptionInterceptor;
import org.jspecify.annotations.Nullable;
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
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
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

	/**
	 * Concurrent streams one HTTP/2 connection may carry, set on the server when HTTP/2
	 * is enabled: every open event stream is one, and a proxy that multiplexes many users
	 * onto one connection needs many. Each costs the server tens of kilobytes.
	 */
	public static final int HTTP2_MAX_CONCURRENT_STREAMS = 1000;

	@Bean
	@ConditionalOnMissingBean
	SseBroadcaster sseBroadcaster(SseBroadcastProperties properties, ObjectProvider<SseDataEncoder> dataEncoder,
			ObjectProvider<SseDeliveryListener> deliveryListeners, ObjectProvider<SseClientListener> clientListeners,
			ObjectProvider<SseRelay> relay) {
		SseBroadcaster.Builder builder = SseBroadcaster.builder();
		apply("client-queue-capacity", properties.getClientQueueCapacity(), builder::clientQueueCapacity);
		apply("heartbeat", properties.getHeartbeat(), builder::heartbeat);
		apply("write-timeout", properties.getWriteTimeout(), builder::writeTimeout);
		apply("retry", properties.getRetry(), builder::retry);
		apply("max-event-size", properties.getMaxEventSize(), (size) -> builder.maxEventSize(bytes(size)));
		apply("max-clients", properties.getMaxClients(), builder::maxClients);
		apply("max-topics-per-client", properties.getMaxTopicsPerClient(), builder::maxTopicsPerClient);
		apply("overflow", properties.getOverflow(), builder::overflow);
		apply("history.size", properties.getHistory().getSize(), builder::historySize);
		apply("history.max-age", properties.getHistory().getMaxAge(), builder::historyMaxAge);
		apply("history.max-bytes", properties.getHistory().getMaxBytes(),
				(size) -> builder.historyMaxBytes(size.toBytes()));
		apply("max-connection-lifetime", properties.getMaxConnectionLifetime(), builder::maxConnectionLifetime);
		apply("shutdown.reconnect-spread", properties.getShutdown().getReconnectSpread(),
				builder::shutdownReconnectSpread);
		properties.getTopics().forEach((topic, settings) -> {
			if (settings.getOverflow() != null) {
				apply("topics", topic, (name) -> builder.overflow(name, settings.getOverflow()));
			}
		});
		builder.dataEncoder(dataEncoder.getIfAvailable(() -> SseDataEncoder.TEXT_ONLY));
		List<SseDeliveryListener> listeners = deliveryListeners.orderedStream().toList();
		if (!listeners.isEmpty()) {
			builder.deliveryListener(new CompositeDeliveryListener(listeners));
		}
		builder.clientListener(new BeanClientListeners(clientListeners));
		relay.ifAvailable(builder::relay);
		return builder.build();
	}

	/**
	 * Hand one property's value to the builder, which alone knows what is valid; a value
	 * it rejects stops startup with a report that names the property.
	 */
	private static <T> void apply(String property, T value, Consumer<T> setter) {
		try {
			setter.accept(value);
		}
		catch (IllegalArgumentException ex) {
			String name = "sse.broadcast." + property;
			throw new InvalidConfigurationPropertyValueException(name, value,
					reason(ex.getMessage(), parameterOf(property), name), ex);
		}
	}

	/**
	 * The builder's reason, in terms of the property: it names its own parameter
	 * ({@code historyMaxAge must be positive}), which someone setting properties never
	 * wrote.
	 */
	static String reason(@Nullable String message, String parameter, String property) {
		if (message == null) {
			return "rejected by SseBroadcaster.Builder";
		}
		return message.startsWith(parameter + " ") ? property + message.substring(parameter.length()) : message;
	}

	/** The builder's parameter for a property: {@code history.max-age} is {@code historyMaxAge}. */
	private static String parameterOf(String property) {
		StringBuilder parameter = new StringBuilder(property.length());
		boolean upper = false;
		for (char c : property.toCharArray()) {
			if (c == '-' || c == '.') {
				upper = true;
			}
			else {
				parameter.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return parameter.toString();
	}

	private static int bytes(DataSize size) {
		if (size.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("maxEventSize must be less than 2GB, but was " + size);
		}
		return (int) size.toBytes();
	}

	@Bean
	@ConditionalOnMissingBean
	SseEndpoint sseEndpoint(SseBroadcaster broadcaster, ObjectProvider<SseSubscriptionInterceptor> interceptors,
			ObjectProvider<SseStreamGuard> guards) {
		return new SseEndpoint(broadcaster, interceptors.orderedStream().toList(), guards.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	SseRelayExceptionHandler sseRelayExceptionHandler(Environment environment) {
		return new SseRelayExceptionHandler(
				environment.getProperty("spring.mvc.problemdetails.enabled", Boolean.class, false));
	}

	@Bean
	@ConditionalOnMissingBean
	CarrierThreads sseCarrierThreads(SseBroadcastProperties properties) {
		int minimum = properties.getMinCarrierThreads();
		try {
			return new CarrierThreads(minimum);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("sse.broadcast.min-carrier-threads", minimum,
					reason(ex.getMessage(), "minCarrierThreads", "sse.broadcast.min-carrier-threads"), ex);
		}
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
