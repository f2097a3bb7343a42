package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

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
 * Beyond {@code sse.broadcast.max-clients}, a connection is refused and told when to
 * retry.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.max-clients=2", "sse.broadcast.heartbeat=200ms" })
class MaxClientsTests {

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Test
	void connectionBeyondTheMaximumGets503WithRetryAfter() throws Exception {
		String url = "http://127.0.0.1:" + this.port + "/sse";
		try (SseTestClient first = SseTestClient.connect(url); SseTestClient second = SseTestClient.connect(url)) {
			await().until(() -> this.broadcaster.clientCount() == 2);

			HttpResponse<String> refused = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString());

			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(refused.body()).isEqualTo("The maximum of 2 clients is connected");
			assertThat(this.broadcaster.clientCount()).isEqualTo(2);
		}
	}

}
