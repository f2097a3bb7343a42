package dev.ssebroadcast.web;

import java.io.BufferedReader;
import java.io.InputStream;
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
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Topics, targeted sends, subscription checks, replay and the event format, over real
 * HTTP and read by a real SSE client.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.heartbeat=200ms", "sse.broadcast.history.size=50",
				"sse.broadcast.max-topics-per-client=3", "sse.broadcast.retry=3s",
				"sse.broadcast.max-event-size=1KB" })
@Import(DeliveryTestConfiguration.class)
class DeliverySemanticsTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<SseTestClient> clients = new ArrayList<>();

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@AfterEach
	void closeClients() {
		this.clients.forEach(SseTestClient::close);
		await("clients to be gone").atMost(Duration.ofSeconds(10)).until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void eachClientGetsItsTopicsAndBroadcasts() {
		SseTestClient onA = connect("/sse?topic=a");
		SseTestClient onB = connect("/sse?topic=b");
		SseTestClient onBoth = connect("/sse?topic=a&topic=b");
		SseTestClient onNone = connect("/sse");
		await().until(() -> this.broadcaster.clientCount() == 4);

		assertThat(this.broadcaster.send("a", "to a")).isEqualTo(2);
		assertThat(this.broadcaster.send("b", "to b")).isEqualTo(2);
		assertThat(this.broadcaster.send("c", "to c")).isZero();
		assertThat(this.broadcaster.broadcast("to all")).isEqualTo(4);

		awaitData(onA, "to a", "to all");
		awaitData(onB, "to b", "to all");
		awaitData(onBoth, "to a", "to b", "to all");
		awaitData(onNone, "to all");
	}

	@Test
	void invalidTopicGets400WithReasonAndNoStream() throws Exception {
		HttpResponse<String> response = get("/sse?topic=bad%20topic");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/plain"));
		assertThat(response.body()).startsWith("Invalid topic 'bad topic'");
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void tooManyTopicsGets400WithReason() throws Exception {
		HttpResponse<String> response = get("/sse?topic=a&topic=b&topic=c&topic=d");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("At most 3 topics per client are allowed, but 4 were requested");
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void refusedSubscriptionGets403AndNoStream() throws Exception {
		HttpResponse<String> response = get("/sse?topic=secret");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("Subscription refused");
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void interceptorCanNarrowTopics() {
		SseTestClient client = connect("/sse?topic=hidden&topic=a");
		await().until(() -> this.broadcaster.clientCount() == 1);
		assertThat(this.broadcaster.clients().get(0).topics()).containsExactly("a");
		this.broadcaster.send("hidden", "not for you");
		this.broadcaster.send("a", "for you");
		awaitData(client, "for you");
	}

	@Test
	void userEventsReachEveryTabOfThatUserOnly() {
		SseTestClient aliceTab1 = connect("/sse", Map.of(DeliveryTestConfiguration.USER_HEADER, "alice"));
		SseTestClient aliceTab2 = connect("/sse", Map.of(DeliveryTestConfiguration.USER_HEADER, "alice"));
		SseTestClient bob = connect("/sse", Map.of(DeliveryTestConfiguration.USER_HEADER, "bob"));
		SseTestClient anonymous = connect("/sse");
		await().until(() -> this.broadcaster.clientCount() == 4);

		assertThat(this.broadcaster.sendToUser("alice", SseEvent.of("hi alice"))).isEqualTo(2);
		this.broadcaster.broadcast("done");

		awaitData(aliceTab1, "hi alice", "done");
		awaitData(aliceTab2, "hi alice", "done");
		awaitData(bob, "done");
		awaitData(anonymous, "done");
	}

	@Test
	void clientEventsReachOneConnection() {
		SseTestClient first = connect("/sse", Map.of(DeliveryTestConfiguration.USER_HEADER, "carol"));
		SseTestClient second = connect("/sse", Map.of(DeliveryTestConfiguration.USER_HEADER, "carol"));
		await().until(() -> this.broadcaster.clientCount() == 2);
		SseClient target = this.broadcaster.clients().get(0);

		assertThat(this.broadcaster.sendToClient(target.id(), SseEvent.of("just you"))).isTrue();
		assertThat(this.broadcaster.sendToClient(-1, SseEvent.of("nobody"))).isFalse();
		this.broadcaster.broadcast("done");

		await().atMost(Duration.ofSeconds(5))
			.until(() -> first.data().contains("done") && second.data().contains("done"));
		assertThat(List.of(first.data(), second.data())).containsExactlyInAnyOrder(List.of("just you", "done"),
				List.of("done"));
	}

	@Test
	void reconnectingClientGetsExactlyWhatItMissedWhileBroadcastsContinue() throws Exception {
		int eventCount = 150;
		List<String> published = IntStream.range(0, eventCount).mapToObj((i) -> "event-" + i).toList();
		SseTestClient first = connect("/sse?topic=t");
		await().until(() -> this.broadcaster.clientCount() == 1);
		Thread publisher = Thread.ofPlatform().start(() -> {
			for (int i = 0; i < eventCount; i++) {
				this.broadcaster.send("other", "not for t");
				if (i % 2 == 0) {
					this.broadcaster.send("t", published.get(i));
				}
				else {
					this.broadcaster.broadcast(published.get(i));
				}
				// Spread the events out so that the drop and the replay happen mid-stream.
				LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
			}
		});
		await().pollInterval(Duration.ofMillis(1)).until(() -> first.events().size() >= 20);
		first.close();
		List<ReceivedEvent> beforeDrop = first.events();
		String lastEventId = beforeDrop.get(beforeDrop.size() - 1).id();

		SseTestClient second = connect("/sse?topic=t", Map.of("Last-Event-ID", lastEventId));
		boolean stillPublishing = publisher.isAlive();
		publisher.join(Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> beforeDrop.size() + second.events().size() >= eventCount);

		List<String> received = new ArrayList<>(beforeDrop.stream().map(ReceivedEvent::data).toList());
		received.addAll(second.data());
		assertThat(received).as("events received over both connections").containsExactlyElementsOf(published);
		assertThat(stillPublishing).as("publishing went on while the client reconnected").isTrue();
	}

	@Test
	void lastEventIdQueryParameterReplaysToo() {
		SseTestClient first = connect("/sse");
		await().until(() -> this.broadcaster.clientCount() == 1);
		this.broadcaster.broadcast("one");
		awaitData(first, "one");
		String lastEventId = first.events().get(0).id();
		first.close();
		await().until(() -> this.broadcaster.clientCount() == 0);
		this.broadcaster.broadcast("two");

		SseTestClient second = connect("/sse?lastEventId=" + lastEventId);
		awaitData(second, "two");
	}

	@Test
	void replayFromBeyondTheHistorySignalsReset() {
		SseTestClient first = connect("/sse");
		await().until(() -> this.broadcaster.clientCount() == 1);
		this.broadcaster.broadcast("seen");
		awaitData(first, "seen");
		String lastEventId = first.events().get(0).id();
		first.close();
		await().until(() -> this.broadcaster.clientCount() == 0);
		for (int i = 0; i < 60; i++) {
			this.broadcaster.broadcast("missed " + i);
		}

		SseTestClient second = connect("/sse", Map.of("Last-Event-ID", lastEventId));
		this.broadcaster.broadcast("live");

		await().atMost(Duration.ofSeconds(5)).until(() -> second.events().size() == 2);
		assertThat(second.events().get(0).event()).isEqualTo(SseBroadcaster.RESET_EVENT);
		assertThat(second.events().get(1).data()).isEqualTo("live");
	}

	@Test
	void unknownLastEventIdSignalsReset() {
		SseTestClient client = connect("/sse", Map.of("Last-Event-ID", "no-such-id"));
		await().atMost(Duration.ofSeconds(5)).until(() -> client.events().size() == 1);
		assertThat(client.events().get(0).event()).isEqualTo(SseBroadcaster.RESET_EVENT);
	}

	@Test
	void jsonDataRoundTrips() {
		SseTestClient client = connect("/sse");
		await().until(() -> this.broadcaster.clientCount() == 1);
		this.broadcaster.broadcast(new Order("o-1", 3, List.of("tea", "cake")));
		awaitData(client, "{\"id\":\"o-1\",\"quantity\":3,\"items\":[\"tea\",\"cake\"]}");
	}

	@Test
	void oversizedEventIsRejectedAndNotSent() {
		SseTestClient client = connect("/sse");
		await().until(() -> this.broadcaster.clientCount() == 1);
		long published = this.broadcaster.statistics().published();
		assertThatIllegalArgumentException().isThrownBy(() -> this.broadcaster.broadcast("x".repeat(2000)))
			.withMessageContaining("more than the 1024 allowed");
		this.broadcaster.broadcast("small");
		awaitData(client, "small");
		assertThat(this.broadcaster.statistics().published()).isEqualTo(published + 1);
	}

	@Test
	void everyFieldParsesInAThirdPartyClient() {
		SseTestClient client = connect("/sse");
		await().until(() -> this.broadcaster.clientCount() == 1);
		this.broadcaster.broadcast(SseEvent.of("line 1\nline 2\n\nline 4")
			.withEvent("update")
			.withId("app-7")
			.withRetry(Duration.ofSeconds(2))
			.withComment("a comment\nover two lines"));
		this.broadcaster.broadcast(SseEvent.comment("only a comment"));
		this.broadcaster.broadcast("after");

		awaitData(client, "line 1\nline 2\n\nline 4", "after");
		assertThat(client.events().get(0)).isEqualTo(new ReceivedEvent("line 1\nline 2\n\nline 4", "update", "app-7"));
		assertThat(client.events().get(1).event()).isNull();
	}

	@Test
	void retryDelayIsSentFirst() throws Exception {
		HttpResponse<InputStream> response = this.http.send(HttpRequest.newBuilder(uri("/sse")).build(),
				BodyHandlers.ofInputStream());
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			assertThat(reader.readLine()).isEqualTo("retry: 3000");
			assertThat(reader.readLine()).isEqualTo(": connected");
		}
	}

	private void awaitData(SseTestClient client, String... expected) {
		await().atMost(Duration.ofSeconds(5)).until(() -> client.data().size() >= expected.length);
		assertThat(client.data()).containsExactly(expected);
	}

	private SseTestClient connect(String path) {
		return connect(path, Map.of());
	}

	private SseTestClient connect(String path, Map<String, String> headers) {
		SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + this.port + path, headers,
				SseTestClient.DEFAULT_TIMEOUT);
		this.clients.add(client);
		return client;
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").build(),
				BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	record Order(String id, int quantity, List<String> items) {
	}

}
