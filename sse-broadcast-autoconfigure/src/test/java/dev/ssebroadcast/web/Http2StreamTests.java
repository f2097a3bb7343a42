package dev.ssebroadcast.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.ssebroadcast.SseBroadcaster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over cleartext HTTP/2 (prior knowledge), many streams share one connection: what the
 * server does to one of them must cost only that one.
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
