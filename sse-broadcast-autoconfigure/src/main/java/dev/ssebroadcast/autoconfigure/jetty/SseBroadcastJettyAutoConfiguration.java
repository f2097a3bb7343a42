package dev.ssebroadcast.autoconfigure.jetty;

import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.autoconfigure.VirtualThreadsEnvironmentPostProcessor;
import dev.ssebroadcast.web.SseEndpoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of Jetty for many long-lived streams: an accept queue that holds a
 * reconnect storm ({@link JettyAcceptQueueCustomizer}) and, with virtual threads,
 * acceptors and selectors that stay on platform threads ({@link JettyIoThreadsCustomizer}),
 * and with HTTP/2 many streams per connection ({@link JettyHttp2StreamsCustomizer}).
 */
@AutoConfiguration(after = SseBroadcastAutoConfiguration.class,
		afterName = "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration")
@ConditionalOnClass({ Server.class, QueuedThreadPool.class, ConfigurableJettyWebServerFactory.class })
@ConditionalOnBean({ SseEndpoint.class, JettyServerProperties.class })
public final class SseBroadcastJettyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JettyAcceptQueueCustomizer sseJettyAcceptQueueCustomizer() {
		return new JettyAcceptQueueCustomizer(VirtualThreadsEnvironmentPostProcessor.ACCEPT_QUEUE_SIZE);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnThreading(Threading.VIRTUAL)
	JettyIoThreadsCustomizer sseJettyIoThreadsCustomizer(JettyServerProperties properties) {
		return new JettyIoThreadsCustomizer(properties.getThreads());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory")
	@ConditionalOnBooleanProperty("server.http2.enabled")
	static class Http2Configuration {

		@Bean
		@ConditionalOnMissingBean
		JettyHttp2StreamsCustomizer sseJettyHttp2StreamsCustomizer() {
			return new JettyHttp2StreamsCustomizer(SseBroadcastAutoConfiguration.HTTP2_MAX_CONCURRENT_STREAMS);
		}

	}

}
