package dev.ssebroadcast.web;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading must cost only itself.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.broadcast.client-queue-capacity=4")
class SlowClientTests {

	private static final String LARGE = "x".repeat(256 * 1024);

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Test
	void slowClientIsDisconnectedWhileOthersAndThePublisherCarryOn() throws Exception {
		try (Socket stalled = new Socket(); SseTestClient reader = SseTestClient.connect(url())) {
			stalled.setReceiveBufferSize(4096);
			stalled.connect(new InetSocketAddress("127.0.0.1", this.port));
			OutputStream request = stalled.getOutputStream();
			request.write("GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			request.flush();
			await().until(() -> this.broadcaster.clientCount() == 2);

			long slowestBroadcastNanos = 0;
			int sent = 0;
			while (this.broadcaster.slowClientDisconnects() == 0) {
				assertThat(sent).as("events sent before the stalled client overflowed").isLessThan(2000);
				long start = System.nanoTime();
				this.broadcaster.broadcast(LARGE + sent);
				slowestBroadcastNanos = Math.max(slowestBroadcastNanos, System.nanoTime() - start);
				sent++;
				reader.awaitEvents(sent);
			}

			assertThat(this.broadcaster.clientCount()).isEqualTo(1);
			assertThat(this.broadcaster.slowClientDisconnects()).isEqualTo(1);
			assertThat(reader.isOpen()).isTrue();
			for (int i = 0; i < sent; i++) {
				assertThat(reader.data().get(i)).isEqualTo(LARGE + i);
			}
			assertThat(Duration.ofNanos(slowestBroadcastNanos)).as("slowest broadcast call")
				.isLessThan(Duration.ofMillis(500));
			this.broadcaster.broadcast("after");
			reader.awaitData("after");
		}
	}

	private String url() {
		return "http://127.0.0.1:" + this.port + "/sse";
	}

}
