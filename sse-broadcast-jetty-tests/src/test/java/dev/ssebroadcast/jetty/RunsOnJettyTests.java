package dev.ssebroadcast.jetty;

import dev.ssebroadcast.web.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards what this module is for: the tests it scans from sse-broadcast-autoconfigure
 * must start Jetty, which they would not if Tomcat came back onto the classpath.
 */
class RunsOnJettyTests {

	@Test
	void testApplicationRunsOnJettyWithoutTomcat() {
		assertThat(ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", null)).as("Tomcat on the classpath")
			.isFalse();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0")
			.run()) {
			assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(JettyWebServer.class);
		}
	}

}
