package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.ssebroadcast.SseBroadcaster;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over cleartext HTTP/2 (with prior knowledge, or upgraded from HTTP/1.1), many streams
 * share one connection: each gets every event, and what the server does to one of them
 * costs only that one.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.http2.enabled=true", "sse.broadcast.write-timeout=3s",
				"sse.broadcast.heartbeat=500ms" })
class Http2StreamTests {

	private static final String TWO_KB = "x".repeat(2048);

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@AfterEach
	void allClientsGone() {
		await("clients to be gone").atMost(PATIENCE).until(() -> this.broadcaster.clientCount() == 0);
	}

	/**
	 * Wait until {@code condition} holds, failing at once if the connection ends; either
	 * failure says what the client saw.
	 */
	static void awaitOn(RawHttp2Client h2, String what, BooleanSupplier condition) {
		await(what).atMost(PATIENCE)
			.failFast("connection ended", () -> assertThat(h2.goAway() == null && !h2.isClosed()).as(h2.state())
				.isTrue())
			.untilAsserted(() -> assertThat(condition.getAsBoolean()).as(what + "; " + h2.state()).isTrue());
	}

	@Test
	void stalledStreamIsDroppedAloneWhileTheOtherStreamOnItsConnectionGetsEveryEvent() throws Exception {
		try (RawHttp2Client h2 = RawHttp2Client.connect(this.port)) {
			int stalled = h2.get("/sse", false);
			int reading = h2.get("/sse", true);
			await(h2.state()).atMost(PATIENCE).until(() -> this.broadcaster.clientCount() == 2);

			for (int i = 0; i < 100; i++) {
				this.broadcaster.broadcast(i + TWO_KB);
			}
			awaitOn(h2, "stalled stream reset", () -> h2.resetBy(stalled) != null);
			awaitOn(h2, "all 100 events on the reading stream", () -> h2.count(reading, TWO_KB) == 100);
			assertThat(this.broadcaster.clientCount()).as(h2.state()).isEqualTo(1);

			this.broadcaster.broadcast("after");
			awaitOn(h2, "an event after the reset", () -> h2.count(reading, "data: after\n") == 1);
			// Tomcat once failed the connection seconds after the reset, when it ended the
			// reset stream's request.
			await("connection to stay open").during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(h2.goAway() == null && !h2.isClosed()).as(h2.state()).isTrue());
			this.broadcaster.broadcast("later");
			awaitOn(h2, "an event seconds after the reset", () -> h2.count(reading, "data: later\n") == 1);
			assertThat(h2.goAway()).as(h2.state()).isNull();
			assertThat(h2.resetBy(reading)).as(h2.state()).isNull();
			h2.cancel(reading);
		}
	}

	@Test
	void oneConnectionCarriesMoreStreamsThanTheContainersDefaultEachGettingEveryEvent() throws Exception {
		int streamCount = 150; // over Tomcat's default of 100 and Jetty's of 128
		try (RawHttp2Client h2 = RawHttp2Client.connect(this.port)) {
			List<Integer> streams = new ArrayList<>();
			for (int i = 0; i < streamCount; i++) {
				streams.add(h2.get("/sse", true));
			}
			awaitOn(h2, streamCount + " clients connected", () -> this.broadcaster.clientCount() == streamCount);

			for (int i = 0; i < 3; i++) {
				this.broadcaster.broadcast("event" + i);
			}
			for (int stream : streams) {
				awaitOn(h2, "every event on stream " + stream, () -> h2.count(stream, "data: event2\n") == 1);
				assertThat(h2.text(stream)).as(h2.state()).containsSubsequence("data: event0\n", "data: event1\n");
			}
			assertThat(h2.serverSetting(RawHttp2Client.MAX_CONCURRENT_STREAMS)).as(h2.state()).isEqualTo(1000);
			for (int stream : streams) {
				h2.cancel(stream);
			}
		}
	}

	@Test
	void hundredEventSourcesOverOneConnectionWithPriorKnowledgeEachGetEveryEvent() {
		OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
			.readTimeout(Duration.ZERO)
			.build();
		client.dispatcher().setMaxRequests(200);
		client.dispatcher().setMaxRequestsPerHost(200);
		List<List<String>> received = new ArrayList<>();
		List<EventSource> sources = new ArrayList<>();
		try {
			for (int i = 0; i < 100; i++) {
				List<String> data = new CopyOnWriteArrayList<>();
				received.add(data);
				sources.add(EventSources.createFactory(client)
					.newEventSource(new Request.Builder().url("http://127.0.0.1:" + this.port + "/sse").build(),
							new EventSourceListener() {
								@Override
								public void onEvent(EventSource source, String id, String type, String event) {
									data.add(event);
								}
							}));
				if (i == 0) {
					// Calls that start before any connection exists may each open one, so
					// the others start once the first stream has its connection.
					await("first client").atMost(PATIENCE).until(() -> this.broadcaster.clientCount() == 1);
				}
			}
			await("100 clients").atMost(PATIENCE).until(() -> this.broadcaster.clientCount() == 100);
			for (int i = 0; i < 3; i++) {
				this.broadcaster.broadcast("event" + i);
			}
			await("every event on every stream").atMost(PATIENCE)
				.untilAsserted(() -> assertThat(received).allSatisfy(
						(data) -> assertThat(data).containsExactly("event0", "event1", "event2")));
			assertThat(client.connectionPool().connectionCount()).as("connections used").isEqualTo(1);
		}
		finally {
			sources.forEach(EventSource::cancel);
			client.dispatcher().executorService().shutdown();
			client.connectionPool().evictAll();
		}
	}

	@Test
	void streamsOverAnUpgradedConnectionEachGetEveryEvent() throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
		URI uri = URI.create("http://127.0.0.1:" + this.port + "/sse");
		List<HttpResponse<Stream<String>>> responses = new ArrayList<>();
		try {
			// The first request upgrades the connection (Upgrade: h2c); the others share it.
			responses.add(client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofLines()));
			List<CompletableFuture<HttpResponse<Stream<String>>>> more = new ArrayList<>();
			for (int i = 0; i < 19; i++) {
				more.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofLines()));
			}
			for (CompletableFuture<HttpResponse<Stream<String>>> response : more) {
				responses.add(response.get(30, TimeUnit.SECONDS));
			}
			assertThat(responses).extracting(HttpResponse::version).containsOnly(HttpClient.Version.HTTP_2);
			await("20 clients").atMost(PATIENCE).until(() -> this.broadcaster.clientCount() == 20);
			List<List<String>> received = new ArrayList<>();
			for (HttpResponse<Stream<String>> response : responses) {
				List<String> lines = new CopyOnWriteArrayList<>();
				received.add(lines);
				Thread.ofVirtual().start(() -> response.body().forEach(lines::add));
			}
			this.broadcaster.broadcast("event0");
			this.broadcaster.broadcast("event1");
			await("every event on every stream").atMost(PATIENCE)
				.untilAsserted(() -> assertThat(received)
					.allSatisfy((lines) -> assertThat(lines).containsSubsequence("data: event0", "data: event1")));
		}
		finally {
			responses.forEach((response) -> response.body().close());
			client.close();
		}
	}

	@Test
	void cancelledStreamFreesItsClientWithinAHeartbeatWhileTheOtherGoesOn() throws Exception {
		try (RawHttp2Client h2 = RawHttp2Client.connect(this.port)) {
			int cancelled = h2.get("/sse", true);
			int staying = h2.get("/sse", true);
			await(h2.state()).atMost(PATIENCE).until(() -> this.broadcaster.clientCount() == 2);

			h2.cancel(cancelled);
			long start = System.nanoTime();
			await("client of the cancelled stream gone").atMost(PATIENCE)
				.until(() -> this.broadcaster.clientCount() == 1);
			Duration freedAfter = Duration.ofNanos(System.nanoTime() - start);
			// A heartbeat is due 500 ms after the last write, and the write to a cancelled
			// stream fails at once; a tick of slack for when the heartbeat task runs.
			assertThat(freedAfter).as("time to free the cancelled stream's client; " + h2.state())
				.isLessThan(Duration.ofMillis(500 + 500 + 250));

			this.broadcaster.broadcast("after");
			awaitOn(h2, "an event on the other stream", () -> h2.count(staying, "data: after\n") == 1);
			assertThat(h2.goAway()).as(h2.state()).isNull();
			h2.cancel(staying);
		}
	}

}
