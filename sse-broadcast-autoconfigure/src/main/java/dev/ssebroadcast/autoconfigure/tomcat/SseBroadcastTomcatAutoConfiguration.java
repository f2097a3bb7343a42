package dev.ssebroadcast.autoconfigure.tomcat;

import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.web.SseEndpoint;
import org.apache.coyote.http2.Http2Protocol;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Tomcat for event streams over HTTP/2
 * ({@code server.http2.enabled}): many streams per connection
 * ({@link TomcatHttp2StreamsCustomizer}).
 */
@AutoConfiguration(after = SseBroadcastAutoConfiguration.class,
		afterName = "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration")
@ConditionalOnClass({ Http2Protocol.class, ConfigurableTomcatWebServerFactory.class })
@ConditionalOnBean(SseEndpoint.class)
@ConditionalOnBooleanProperty("server.http2.enabled")
public final class SseBroadcastTomcatAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TomcatHttp2StreamsCustomizer sseTomcatHttp2StreamsCustomizer() {
		return new TomcatHttp2StreamsCustomizer(SseBroadcastAutoConfiguration.HTTP2_MAX_CONCURRENT_STREAMS);
	}

}
