package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Beyond {@code sse.broadcast.max-clients}, a connection is refused and told when to
 * retry; a client that closed its connection frees its place at once. The heartbeat is
 * far longer than any test, so that it is not what finds a closed connection.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.max-clients=2", "sse.broadcast.heartbeat=60s" })
class MaxClientsTests {

	private static final Logger logger = LoggerFactory.getLogger(MaxClientsTests.class);

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

	@Test
	void clientThatClosesItsConnectionFreesItsPlaceAtOnce() {
		String url = "http://127.0.0.1:" + this.port + "/sse";
		List<Long> millis = new ArrayList<>();
		try (SseTestClient staying = SseTestClient.connect(url)) {
			for (int run = 0; run < 10; run++) {
				SseTestClient leaving = SseTestClient.connect(url);
				await().until(() -> this.broadcaster.clientCount() == 2);
				long closed = System.nanoTime();
				leaving.close();
				await("place of a closed client to be free").atMost(Duration.ofSeconds(3))
					.pollDelay(Duration.ZERO)
					.pollInterval(Duration.ofMillis(5))
					.until(() -> {
					try (SseTestClient next = SseTestClient.connect(url)) {
						return next.status() == 200;
					}
				});
				millis.add(Duration.ofNanos(System.nanoTime() - closed).toMillis());
				await().until(() -> this.broadcaster.clientCount() == 1);
			}
		}
		Collections.sort(millis);
		logger.info("Connected again after a close in {} ms (sorted)", millis);
	}

}
