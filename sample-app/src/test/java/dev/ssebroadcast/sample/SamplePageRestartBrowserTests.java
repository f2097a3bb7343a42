package dev.ssebroadcast.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.ssebroadcast.sample.Chromium.awaitText;

/**
 * The sample page in headless Chromium while the server restarts: the page says it is
 * reconnecting, then reconnects to the new server by itself and shows its events.
 */
class SamplePageRestartBrowserTests {

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	private ConfigurableApplicationContext server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void pageReconnectsToTheRestartedServer() throws Exception {
		int port = freePort();
		this.server = start(port);
		WebDriver browser = chromium.open();
		Chromium.openPage(browser, "http://127.0.0.1:" + port + "/");

		this.server.close();
		awaitText(browser, "status", "reconnecting");

		this.server = start(port);
		awaitText(browser, "status", "open");
		awaitText(browser, "events", "reconnected");
		this.server.getBean(SseBroadcaster.class).broadcast(SseEvent.of("from the new server"));
		awaitText(browser, "events", "from the new server");
	}

	// A short retry delay, so that the browser tries again soon after the restart.
	private static ConfigurableApplicationContext start(int port) {
		return new SpringApplicationBuilder(SampleApplication.class).run("--server.address=127.0.0.1",
				"--server.port=" + port, "--sse.broadcast.retry=200ms", "--spring.jmx.enabled=false");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
