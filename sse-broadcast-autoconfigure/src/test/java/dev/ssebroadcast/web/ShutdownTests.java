package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Open streams must not hold the application's graceful shutdown.
 */
class ShutdownTests {

	@Test
	void streamRequestedWhileStoppingEndsAtOnceAndAsksForARetry() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			context.getBean(SseBroadcaster.class).close();

			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sse")).build(),
						BodyHandlers.ofString());

			assertThat(response.statusCode()).as("an error status would stop EventSource for good").isEqualTo(200);
			assertThat(response.body()).startsWith("retry: 5000\n");

			HttpResponse<String> head = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sse"))
					.method("HEAD", BodyPublishers.noBody())
					.build(), BodyHandlers.ofString());
			assertThat(head.statusCode()).as("HEAD, as GET").isEqualTo(200);
			assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/event-stream"));
		}
	}

	@Test
	void shutdownEndsOpenStreamsWithinASecond() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=30s")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		List<SseTestClient> clients = IntStream.range(0, 20)
			.mapToObj((i) -> SseTestClient.connect("http://127.0.0.1:" + port + "/sse"))
			.toList();
		SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
		await().until(() -> broadcaster.clientCount() == 20);

		long start = System.nanoTime();
		context.close();
		Duration shutdown = Duration.ofNanos(System.nanoTime() - start);

		assertThat(shutdown).as("time to close the context").isLessThan(Duration.ofMillis(1500));
		await().atMost(Duration.ofSeconds(1)).until(() -> clients.stream().allMatch(SseTestClient::hasEnded));
		assertThat(broadcaster.clientCount()).isZero();
	}

}
