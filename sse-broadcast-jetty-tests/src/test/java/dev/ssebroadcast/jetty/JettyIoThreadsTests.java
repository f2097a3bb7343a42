package dev.ssebroadcast.jetty;

import dev.ssebroadcast.web.TestApplication;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jetty's acceptors and selectors stay on platform threads while requests run on virtual
 * threads, so that a broadcast's woken streams do not hold up reading new connections,
 * and its accept queue holds a reconnect storm.
 */
class JettyIoThreadsTests {

	@Test
	void selectorsRunOnPlatformThreadsAndRequestsOnVirtualThreads() {
		try (ConfigurableApplicationContext context = run()) {
			ThreadPool pool = threadPool(context);
			assertThat(pool).as("Jetty's thread pool").isInstanceOf(QueuedThreadPool.class);
			assertThat(VirtualThreads.isUseVirtualThreads(pool)).as("requests on virtual threads").isTrue();
		}
	}

	@Test
	void withoutVirtualThreadsJettyKeepsItsOwnPool() {
		try (ConfigurableApplicationContext context = run("--spring.threads.virtual.enabled=false")) {
			assertThat(VirtualThreads.isUseVirtualThreads(threadPool(context))).as("requests on virtual threads")
				.isFalse();
		}
	}

	@Test
	void acceptQueueHoldsAReconnectStorm() {
		try (ConfigurableApplicationContext context = run()) {
			JettyWebServer server = (JettyWebServer) ((WebServerApplicationContext) context).getWebServer();
			assertThat(server.getServer().getConnectors()).singleElement()
				.extracting((connector) -> ((ServerConnector) connector).getAcceptQueueSize())
				.isEqualTo(4096);
		}
	}

	private static ConfigurableApplicationContext run(String... args) {
		return new SpringApplicationBuilder(TestApplication.class).properties("server.port=0").run(args);
	}

	private static ThreadPool threadPool(ConfigurableApplicationContext context) {
		JettyWebServer server = (JettyWebServer) ((WebServerApplicationContext) context).getWebServer();
		return server.getServer().getThreadPool();
	}

}
