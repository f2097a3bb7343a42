package dev.ssebroadcast.web;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint over real HTTP, read by a real SSE client.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.heartbeat=200ms", "spring.mvc.async.request-timeout=1s" })
class SseEndpointTests {

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	private final List<SseTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(SseTestClient::close);
		await("clients to be gone").atMost(Duration.ofSeconds(10)).until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void streamHasEventStreamHeaders() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri("/sse")).build();
		HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
			.send(request, BodyHandlers.ofInputStream());
		try (java.io.InputStream body = response.body()) {
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/event-stream"));
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
			assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
		}
	}

	@Test
	void twoClientsReceiveBroadcastsInOrderWhileTheirStreamsStayOpen() {
		SseTestClient first = connect();
		SseTestClient second = connect();
		await().until(() -> this.broadcaster.clientCount() == 2);

		this.broadcaster.broadcast("one");
		this.broadcaster.broadcast(SseEvent.of("two").withEvent("update").withId("2"));

		for (SseTestClient client : List.of(first, second)) {
			assertThat(client.awaitEvents(2)).extracting(ReceivedEvent::event, ReceivedEvent::data)
				.containsExactly(tuple(null, "one"), tuple("update", "two"));
			assertThat(client.events().get(1).id()).isEqualTo("2");
			assertThat(client.isOpen()).as("events must arrive while the stream is open, not when it ends")
				.isTrue();
		}
	}

	@Test
	void manyConcurrentClientsEachReceiveEveryBroadcastOnceInOrder() {
		int clientCount = 200;
		int eventCount = 100;
		List<SseTestClient> many = IntStream.range(0, clientCount).parallel().mapToObj((i) -> connect()).toList();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.broadcaster.clientCount() == clientCount);

		List<String> sent = IntStream.range(0, eventCount).mapToObj((i) -> "event-" + i).toList();
		sent.forEach(this.broadcaster::broadcast);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> many.stream().allMatch((client) -> client.events().size() >= eventCount));
		for (SseTestClient client : many) {
			assertThat(client.data()).containsExactlyElementsOf(sent);
		}
	}

	@Test
	void sseActuatorEndpointIsNotExposedUnlessAsked() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri("/actuator/sse")).build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
	}

	@Test
	void closedClientIsRemoved() {
		SseTestClient client = connect();
		await().until(() -> this.broadcaster.clientCount() == 1);
		client.close();
		await("closed client to be pruned").atMost(Duration.ofSeconds(2))
			.until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void connectDisconnectCyclesLeaveNoClientsOrStreamThreadsBehind() throws Exception {
		for (int i = 0; i < 1000; i++) {
			try (SseTestClient client = connect()) {
				assertThat(client.isOpen()).as("connection %d", i).isTrue();
			}
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.broadcaster.clientCount() == 0);
		await("stream threads to end").atMost(Duration.ofSeconds(10))
			.until(() -> StreamThreads.countAlive() == 0);
	}

	@Test
	void idleClientReceivesHeartbeats() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri("/sse")).build();
		HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
			.send(request, BodyHandlers.ofInputStream());
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = Thread.ofVirtual().start(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (Exception ex) {
				// the test closes the stream
			}
		});
		try {
			await("heartbeats on an idle stream").atMost(Duration.ofSeconds(3))
				.until(() -> lines.stream().filter(": heartbeat"::equals).count() >= 3);
			assertThat(lines.get(0)).isEqualTo(": connected");
		}
		finally {
			response.body().close();
			reader.join(Duration.ofSeconds(5));
		}
	}

	@Test
	void streamOutlivesTheMvcAsyncRequestTimeout() {
		SseTestClient client = connect();
		await("stream to stay open past the 1s async timeout").during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(4))
			.until(client::isOpen);
		this.broadcaster.broadcast("still here");
		client.awaitData("still here");
	}

	@Test
	void eventDataKeepsLinesAndUnicode() {
		SseTestClient client = connect();
		await().until(() -> this.broadcaster.clientCount() == 1);
		this.broadcaster.broadcast("first line\nsecond line\r\nthird: ünïcødé ✓ 😀");
		assertThat(client.awaitEvents(1)).extracting(ReceivedEvent::data)
			.containsExactly("first line\nsecond line\nthird: ünïcødé ✓ 😀");
	}

	private SseTestClient connect() {
		SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse");
		synchronized (this.clients) {
			this.clients.add(client);
		}
		return client;
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
