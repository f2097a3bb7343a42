package dev.ssebroadcast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ssebroadcast.relay.Position;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.RelayedEvent.Audience;
import dev.ssebroadcast.relay.SseFanOut;
import dev.ssebroadcast.relay.SseRelay;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a reconnecting client is sent: exactly what it missed, or an {@code sse-reset}.
 */
class ReplayTests {

	private static final Pattern ID = Pattern.compile("id: (\\S+)\n");

	@Test
	void idFromAnEarlierRunIsReset() {
		SseBroadcaster earlier = SseBroadcaster.builder().build();
		SseClient client = earlier.connect();
		earlier.broadcast("a");
		earlier.broadcast("b");
		String earlierId = lastId(received(client, "data: b"));
		earlier.close();

		SseBroadcaster now = SseBroadcaster.builder().build();
		now.broadcast("x");
		now.broadcast("y");
		now.broadcast("z");

		assertThat(received(now.connect(SseSubscription.everyone(), earlierId)))
			.as("the same sequence number in another run is another event")
			.contains("event: sse-reset")
			.doesNotContain("data: z");
	}

	@Test
	void repeatedApplicationIdIsReset() {
		SseBroadcaster broadcaster = SseBroadcaster.builder().build();
		broadcaster.broadcast(SseEvent.of("first").withId("order-17"));
		broadcaster.broadcast(SseEvent.of("between"));
		broadcaster.broadcast(SseEvent.of("again").withId("order-17"));

		assertThat(received(broadcaster.connect(SseSubscription.everyone(), "order-17")))
			.contains("event: sse-reset");
	}

	@Test
	void uniqueApplicationIdReplaysWhatFollows() {
		SseBroadcaster broadcaster = SseBroadcaster.builder().build();
		broadcaster.broadcast(SseEvent.of("first").withId("order-17"));
		broadcaster.broadcast(SseEvent.of("second"));

		assertThat(received(broadcaster.connect(SseSubscription.everyone(), "order-17")))
			.doesNotContain("sse-reset")
			.doesNotContain("data: first")
			.contains("data: second");
	}

	@Test
	void idleTopicIsForgottenOnceItsEventsExpire() {
		SseBroadcaster broadcaster = SseBroadcaster.builder()
			.historyMaxAge(Duration.ofMillis(200))
			.heartbeat(Duration.ofMillis(40))
			.build();
		for (int i = 0; i < 50; i++) {
			broadcaster.send("topic-" + i, "once");
		}
		assertThat(broadcaster.keptChannels()).isEqualTo(50);

		await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.keptChannels() == 0);
		broadcaster.close();
	}

	@Test
	void relayGapResetsConnectedClientsWhoThenResumeFromTheGap() {
		CapturingRelay relay = new CapturingRelay();
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		SseClient client = broadcaster.connect();
		relay.deliver("one", "e1", 1);
		relay.deliver("three", "e1", 3);
		String received = received(client, "data: three");

		assertThat(received).containsSubsequence("data: one", "id: e1-2\nevent: sse-reset", "data: three");
		assertThat(received(broadcaster.connect(SseSubscription.everyone(), "e1-1")))
			.as("event 2 was never delivered here")
			.contains("event: sse-reset");
		assertThat(received(broadcaster.connect(SseSubscription.everyone(), "e1-2")))
			.doesNotContain("sse-reset")
			.contains("data: three");
	}

	@Test
	void relayEpochChangeResetsConnectedClients() {
		CapturingRelay relay = new CapturingRelay();
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		SseClient client = broadcaster.connect();
		relay.deliver("old", "e1", 1);
		relay.deliver("new", "e2", 1);

		assertThat(received(client, "data: new")).containsSubsequence("data: old", "id: e2-0\nevent: sse-reset", "id: e2-1\n");
	}

	@Test
	void redeliveredEventIsNotDeliveredTwice() {
		CapturingRelay relay = new CapturingRelay();
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		SseClient client = broadcaster.connect();
		relay.deliver("one", "e1", 1);
		assertThat(relay.deliver("one", "e1", 1)).isZero();
		relay.deliver("two", "e1", 2);

		assertThat(received(client, "data: two")).containsOnlyOnce("data: one");
	}

	@Test
	void idAheadOfThisInstanceWaitsUntilItIsDeliveredHere() throws Exception {
		CapturingRelay relay = new CapturingRelay(Duration.ofSeconds(10));
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		relay.deliver("one", "e1", 1);
		AtomicReference<SseClient> client = new AtomicReference<>();
		Thread connecting = Thread.ofPlatform()
			.start(() -> client.set(broadcaster.connect(SseSubscription.everyone(), "e1-2")));
		await().until(() -> connecting.getState() == Thread.State.TIMED_WAITING);
		relay.deliver("two", "e1", 2);
		relay.deliver("three", "e1", 3);
		connecting.join();

		assertThat(received(client.get(), "data: three")).doesNotContain("sse-reset").doesNotContain("data: two");
	}

	@Test
	void idAheadNotDeliveredInTimeSkipsWhatTheClientHadWithoutReset() {
		CapturingRelay relay = new CapturingRelay(Duration.ofMillis(50));
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		relay.deliver("one", "e1", 1);
		SseClient client = broadcaster.connect(SseSubscription.everyone(), "e1-3");
		SseClient other = broadcaster.connect();
		assertThat(relay.deliver("two", "e1", 2)).as("queued only for the client that did not have it").isEqualTo(1);
		relay.deliver("three", "e1", 3);
		relay.deliver("four", "e1", 4);

		assertThat(received(client, "data: four")).doesNotContain("sse-reset")
			.doesNotContain("data: two")
			.doesNotContain("data: three")
			.contains("id: e1-4\ndata: four");
		assertThat(received(other, "data: four")).containsSubsequence("data: two", "data: three", "data: four");
	}

	@Test
	void idAheadInAnEpochThatEndsGetsResetAndTheNewEpochsEvents() {
		CapturingRelay relay = new CapturingRelay(Duration.ofMillis(50));
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		relay.deliver("one", "e1", 1);
		SseClient client = broadcaster.connect(SseSubscription.everyone(), "e1-5");
		relay.deliver("new", "e2", 1);
		relay.deliver("next", "e2", 2);

		assertThat(received(client, "data: next")).containsSubsequence("event: sse-reset", "data: new", "data: next");
	}

	@Test
	void idFurtherAheadThanTheHistoryKeepsIsResetNotTakenOnTrust() {
		CapturingRelay relay = new CapturingRelay(Duration.ofMillis(50));
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).historySize(2).build();
		relay.deliver("one", "e1", 1);
		SseClient near = broadcaster.connect(SseSubscription.everyone(), "e1-3");
		SseClient far = broadcaster.connect(SseSubscription.everyone(), "e1-4");
		relay.deliver("two", "e1", 2);
		relay.deliver("three", "e1", 3);
		relay.deliver("four", "e1", 4);

		assertThat(received(near, "data: four")).doesNotContain("sse-reset").doesNotContain("data: three");
		assertThat(received(far, "data: four")).containsSubsequence("event: sse-reset", "data: two", "data: three",
				"data: four");
	}

	@Test
	void idAheadWithoutASharedRelayIsUnknownAndReset() {
		CapturingRelay relay = new CapturingRelay();
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		relay.deliver("one", "e1", 1);

		assertThat(received(broadcaster.connect(SseSubscription.everyone(), "e1-2"))).contains("event: sse-reset");
	}

	@Test
	void idOfAnotherEpochIsStillReset() {
		CapturingRelay relay = new CapturingRelay(Duration.ofMillis(50));
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		relay.deliver("one", "e1", 1);

		assertThat(received(broadcaster.connect(SseSubscription.everyone(), "e0-7"))).contains("event: sse-reset");
	}

	@Test
	void relayNumbersClientIds() {
		CapturingRelay relay = new CapturingRelay();
		SseBroadcaster broadcaster = SseBroadcaster.builder().relay(relay).build();
		assertThat(broadcaster.connect().id()).isEqualTo(CapturingRelay.CLIENT_ID_ORIGIN + 1);
	}

	/** What a client that just connected is sent first: its prelude and replay. */
	private static String received(SseClient client) {
		return received(client, ": connected\n\n");
	}

	/** What the client's stream wrote up to {@code last}; the client is closed then. */
	private static String received(SseClient client, String last) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		AtomicReference<String> flushed = new AtomicReference<>("");
		Thread streaming = Thread.ofVirtual()
			.start(() -> client.streamTo(out, () -> flushed.set(out.toString(StandardCharsets.UTF_8))));
		await().until(() -> flushed.get().contains(last));
		client.close();
		await().until(() -> !streaming.isAlive());
		return flushed.get();
	}

	private static String lastId(String stream) {
		String last = null;
		Matcher matcher = ID.matcher(stream);
		while (matcher.find()) {
			last = matcher.group(1);
		}
		assertThat(last).as("an id in %s", stream).isNotNull();
		return last;
	}

	/** A relay that lets the test choose positions. */
	private static final class CapturingRelay implements SseRelay {

		static final long CLIENT_ID_ORIGIN = 7L << 32;

		private final AtomicReference<SseFanOut> fanOut = new AtomicReference<>();

		private final Duration catchUp;

		CapturingRelay() {
			this(Duration.ZERO);
		}

		CapturingRelay(Duration catchUp) {
			this.catchUp = catchUp;
		}

		@Override
		public void start(SseFanOut fanOut) {
			this.fanOut.set(fanOut);
		}

		@Override
		public int publish(RelayedEvent event) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void stop() {
		}

		@Override
		public long clientIdOrigin() {
			return CLIENT_ID_ORIGIN;
		}

		@Override
		public Duration catchUpTimeout() {
			return this.catchUp;
		}

		int deliver(String data, String epoch, long sequence) {
			byte[] frame = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
			return this.fanOut.get()
				.deliver(new RelayedEvent(Audience.EVERYONE, "", null, frame, System.nanoTime()),
						new Position(epoch, sequence));
		}

	}

}
