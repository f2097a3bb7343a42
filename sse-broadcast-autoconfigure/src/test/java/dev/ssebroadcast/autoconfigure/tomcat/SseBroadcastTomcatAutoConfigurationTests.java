package dev.ssebroadcast.autoconfigure.tomcat;

import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http2.Http2Protocol;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class SseBroadcastTomcatAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SseBroadcastAutoConfiguration.class, SseBroadcastTomcatAutoConfiguration.class));

	@Test
	void raisesTomcatsStreamsPerConnectionWhenHttp2IsEnabled() {
		this.contextRunner.withPropertyValues("server.http2.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(TomcatHttp2StreamsCustomizer.class);
			assertThat(customized(context.getBean(TomcatHttp2StreamsCustomizer.class), new Http2Protocol()))
				.isEqualTo(SseBroadcastAutoConfiguration.HTTP2_MAX_CONCURRENT_STREAMS);
		});
	}

	@Test
	void keepsALimitSetByTheApplication() {
		Http2Protocol http2 = new Http2Protocol();
		http2.setMaxConcurrentStreams(42);
		assertThat(customized(new TomcatHttp2StreamsCustomizer(1000), http2)).isEqualTo(42);
	}

	@Test
	void leavesTomcatAloneWithoutHttp2() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TomcatHttp2StreamsCustomizer.class));
	}

	private static long customized(TomcatHttp2StreamsCustomizer customizer, Http2Protocol http2) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		customizer.customize(factory);
		Connector connector = new Connector();
		connector.addUpgradeProtocol(http2);
		factory.getConnectorCustomizers().forEach((connectorCustomizer) -> connectorCustomizer.customize(connector));
		return http2.getMaxConcurrentStreams();
	}

}
