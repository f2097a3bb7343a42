package dev.ssebroadcast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class SseBroadcasterTests {

	@Test
	void clientWithFullQueueIsDisconnectedAndCounted() {
		SseBroadcaster broadcaster = SseBroadcaster.builder().clientQueueCapacity(2).build();
		SseClient stalled = broadcaster.connect();

		assertThat(broadcaster.broadcast("1")).isEqualTo(1);
		assertThat(broadcaster.broadcast("2")).isEqualTo(1);
		assertThat(broadcaster.broadcast("3")).isZero();

		assertThat(stalled.isOpen()).isFalse();
		assertThat(broadcaster.clientCount()).isZero();
		assertThat(broadcaster.statistics().disconnects(DisconnectReason.OVERFLOW)).isEqualTo(1);
		assertThat(stalled.disconnectReason()).isEqualTo(DisconnectReason.OVERFLOW);
	}

	@Test
	void otherClientsKeepTheirEventsWhenOneOverflows() {
		SseBroadcaster broadcaster = SseBroadcaster.builder().clientQueueCapacity(2).build();
		SseClient stalled = broadcaster.connect();
		broadcaster.broadcast("1");
		broadcaster.broadcast("2");
		SseClient late = broadcaster.connect();

		assertThat(broadcaster.broadcast("3")).isEqualTo(1);
		assertThat(stalled.isOpen()).isFalse();
		assertThat(late.isOpen()).isTrue();
		assertThat(late.queued()).isEqualTo(1);
	}

	@Test
	void streamWritesQueuedEventsTogetherWithOneFlush() throws Exception {
		SseBroadcaster broadcaster = SseBroadcaster.builder().clientQueueCapacity(8).heartbeat(Duration.ofMinutes(1)).build();
		SseClient client = broadcaster.connect();
		broadcaster.broadcast("a");
		broadcaster.broadcast("b");
		broadcaster.broadcast("c");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		AtomicInteger flushes = new AtomicInteger();
		Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(out, flushes::incrementAndGet));

		await().until(() -> flushes.get() == 2);
		client.close();
		streaming.join(Duration.ofSeconds(5));

		assertThat(streaming.isAlive()).isFalse();
		assertThat(out.toString(StandardCharsets.UTF_8))
			.matches(": connected\n\nid: ([a-z0-9]+)-1\ndata: a\n\nid: \\1-2\ndata: b\n\nid: \\1-3\ndata: c\n\n");
		assertThat(flushes).hasValue(2);
	}

	@Test
	void idleStreamGetsHeartbeats() throws Exception {
		SseBroadcaster broadcaster = SseBroadcaster.builder().clientQueueCapacity(8).heartbeat(Duration.ofMillis(50)).build();
		SseClient client = broadcaster.connect();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		AtomicInteger flushes = new AtomicInteger();
		Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(out, flushes::incrementAndGet));

		// The prelude, then two heartbeats of two writes each: the comment line, and a
		// tick later the blank line that ends it.
		await().until(() -> flushes.get() >= 5);
		client.close();
		streaming.join(Duration.ofSeconds(5));

		assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(": connected\n\n: heartbeat\n\n: heartbeat\n\n");
	}

	@Test
	void failedWriteEndsTheStreamAndRemovesTheClient() {
		SseBroadcaster broadcaster = SseBroadcaster.builder().clientQueueCapacity(8).heartbeat(Duration.ofMillis(50)).build();
		SseClient client = broadcaster.connect();
		client.streamTo(OutputStreamThatFails.INSTANCE, () -> {
		});
		assertThat(client.isOpen()).isFalse();
		assertThat(broadcaster.clientCount()).isZero();
	}

	@Test
	void closeEndsStreamsAndRefusesNewClients() throws Exception {
		SseBroadcaster broadcaster = new SseBroadcaster();
		SseClient client = broadcaster.connect();
		Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(new ByteArrayOutputStream(), () -> {
		}));

		broadcaster.close();
		streaming.join(Duration.ofSeconds(5));

		assertThat(streaming.isAlive()).isFalse();
		assertThat(broadcaster.clientCount()).isZero();
		assertThatIllegalStateException().isThrownBy(broadcaster::connect).withMessage("SseBroadcaster is closed");
	}

	@Test
	void disconnectAllKeepsAcceptingClients() {
		SseBroadcaster broadcaster = new SseBroadcaster();
		SseClient first = broadcaster.connect();
		broadcaster.disconnectAll();
		assertThat(first.isOpen()).isFalse();
		assertThat(broadcaster.connect().isOpen()).isTrue();
		assertThat(broadcaster.clientCount()).isEqualTo(1);
	}

	@Test
	void aClientStreamsOnlyOnce() throws Exception {
		SseBroadcaster broadcaster = new SseBroadcaster();
		SseClient client = broadcaster.connect();
		Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(new ByteArrayOutputStream(), () -> {
		}));
		await().until(() -> streaming.getState() == Thread.State.WAITING
				|| streaming.getState() == Thread.State.TIMED_WAITING);
		assertThatIllegalStateException()
			.isThrownBy(() -> client.streamTo(new ByteArrayOutputStream(), () -> {
			}))
			.withMessage("Client " + client.id() + " is already streaming");
		client.close();
		streaming.join(Duration.ofSeconds(5));
	}

	@Test
	void queueHighWaterMarkIsTheDeepestQueueNotTheLargestBatch() throws Exception {
		SseBroadcaster broadcaster = SseBroadcaster.builder()
			.clientQueueCapacity(2)
			.overflow(OverflowPolicy.DROP_NEWEST)
			.build();
		SseClient client = broadcaster.connect();
		GatedOutputStream out = new GatedOutputStream();
		Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(out, () -> {
		}));
		out.letOneWriteThrough();
		broadcaster.broadcast("1");
		await().until(() -> out.isWriting() && client.queued() == 0);

		// While each write waits, the queue refills: the batch grows past the capacity,
		// the queue never does.
		broadcaster.broadcast("2");
		broadcaster.broadcast("3");
		out.letOneWriteThrough();
		await().until(() -> out.isWriting() && client.queued() == 1);
		broadcaster.broadcast("4");
		for (int i = 0; i < 3; i++) {
			out.letOneWriteThrough();
		}
		await().until(() -> broadcaster.statistics().delivered() == 4);
		client.close();
		streaming.join(Duration.ofSeconds(5));

		assertThat(broadcaster.statistics().queueHighWaterMark()).isEqualTo(2);
	}

	@Test
	void invalidSettingsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseBroadcaster.builder().clientQueueCapacity(0))
			.withMessage("clientQueueCapacity must be at least 1, but was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> SseBroadcaster.builder().heartbeat(Duration.ZERO))
			.withMessage("heartbeat must be positive, but was PT0S");
	}

	private static final class OutputStreamThatFails extends java.io.OutputStream {

		static final OutputStreamThatFails INSTANCE = new OutputStreamThatFails();

		@Override
		public void write(int b) throws java.io.IOException {
			throw new java.io.IOException("Broken pipe");
		}

		@Override
		public void write(byte[] b, int off, int len) throws java.io.IOException {
			throw new java.io.IOException("Broken pipe");
		}

	}

}
