package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

	private static final Pattern LAST_RETRY = Pattern.compile("retry: (\\d+)\n: reconnect\n\n$");

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

	@Test
	void shutdownTellsEachClientToReconnectAfterADelayOfItsOwnWithinTheSpread() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "server.shutdown=graceful", "sse.broadcast.shutdown.reconnect-spread=4s")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
		List<CompletableFuture<HttpResponse<String>>> streams = openStreams(port, 40);
		await().until(() -> broadcaster.clientCount() == 40);
		broadcaster.broadcast("last before shutdown");

		long start = System.nanoTime();
		context.close();
		Duration shutdown = Duration.ofNanos(System.nanoTime() - start);

		assertThat(shutdown).as("time to close the context").isLessThan(Duration.ofMillis(2500));
		Set<Long> delays = new HashSet<>();
		for (CompletableFuture<HttpResponse<String>> stream : streams) {
			String body = stream.orTimeout(5, TimeUnit.SECONDS).join().body();
			assertThat(body).as("what the stream got").contains("data: last before shutdown\n");
			Matcher retry = LAST_RETRY.matcher(body);
			assertThat(retry.find()).as("stream ends with a retry: %s", body).isTrue();
			delays.add(Long.parseLong(retry.group(1)));
		}
		assertThat(delays).as("delays in ms").allMatch((delay) -> delay >= 0 && delay < 4000);
		assertThat(delays).as("distinct delays among 40 clients").hasSizeGreaterThan(30);
	}

	@Test
	void withoutSpreadShutdownEndsStreamsWithoutARetry() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "server.shutdown=graceful", "sse.broadcast.shutdown.reconnect-spread=0")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
		List<CompletableFuture<HttpResponse<String>>> streams = openStreams(port, 5);
		await().until(() -> broadcaster.clientCount() == 5);

		context.close();

		for (CompletableFuture<HttpResponse<String>> stream : streams) {
			assertThat(stream.orTimeout(5, TimeUnit.SECONDS).join().body())
				.isEqualTo(": connected\n\n");
		}
	}

	/** Streams read to their end by a real HTTP client, each body complete when its stream ends. */
	private static List<CompletableFuture<HttpResponse<String>>> openStreams(int port, int count) {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sse"))
			.header("Accept", "text/event-stream")
			.build();
		return IntStream.range(0, count).mapToObj((i) -> http.sendAsync(request, BodyHandlers.ofString())).toList();
	}

}
