package dev.ssebroadcast;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One client's stream on its own: when it aborts the connection, and how its heartbeat
 * gets written.
 */
class ClientStreamTests {

	private static final long NO_TIMEOUT = Long.MAX_VALUE;

	private final List<DisconnectReason> closed = new CopyOnWriteArrayList<>();

	private final List<Thread> aborted = new CopyOnWriteArrayList<>();

	private final ClientStream stream = new ClientStream(OverflowPolicy.DISCONNECT, ": connected\n\n".getBytes(StandardCharsets.US_ASCII),
			List.of(), new ClientStream.Shared(4, new Counters(), (lagNanos) -> {
			}, ClientListeners.NONE), this.closed::add);

	@Test
	void closingInTheMiddleOfAWriteAbortsTheConnectionAndEndsTheWrite() throws Exception {
		GatedOutputStream out = new GatedOutputStream();
		Thread streaming = stream(out);
		out.letOneWriteThrough();
		this.stream.offer(event("stuck"));
		await().until(out::isWriting);

		this.stream.close(DisconnectReason.CLOSED);

		assertThat(this.aborted).containsExactly(streaming);
		streaming.join(Duration.ofSeconds(5));
		assertThat(streaming.isAlive()).as("stream thread alive").isFalse();
		assertThat(this.closed).containsExactly(DisconnectReason.CLOSED);
	}

	@Test
	void clientThatFellBehindHasItsConnectionAbortedEvenBetweenWrites() throws Exception {
		Thread streaming = stream(new ByteArrayOutputStream());
		await().until(() -> streaming.getState() == Thread.State.WAITING);

		this.stream.close(DisconnectReason.OVERFLOW);

		assertThat(this.aborted).containsExactly(streaming);
		streaming.join(Duration.ofSeconds(5));
		assertThat(streaming.isAlive()).as("stream thread alive").isFalse();
	}

	@Test
	void clientClosedBetweenWritesEndsWithoutAbort() throws Exception {
		Thread streaming = stream(new ByteArrayOutputStream());
		await().until(() -> streaming.getState() == Thread.State.WAITING);

		this.stream.close(DisconnectReason.CLOSED);

		streaming.join(Duration.ofSeconds(5));
		assertThat(streaming.isAlive()).as("stream thread alive").isFalse();
		assertThat(this.aborted).isEmpty();
	}

	@Test
	void interruptFromAnAbortDoesNotOutliveTheStream() throws Exception {
		AtomicBoolean interruptedAfterwards = new AtomicBoolean(true);
		Thread streaming = Thread.ofVirtual().start(() -> {
			this.stream.streamTo(owner(this.stream), new ByteArrayOutputStream(), () -> {
			}, this::interrupt);
			interruptedAfterwards.set(Thread.currentThread().isInterrupted());
		});
		await().until(() -> streaming.getState() == Thread.State.WAITING);

		this.stream.close(DisconnectReason.OVERFLOW);
		streaming.join(Duration.ofSeconds(5));

		assertThat(this.aborted).containsExactly(streaming);
		assertThat(interruptedAfterwards).as("interrupted after the stream ended").isFalse();
	}

	@Test
	void heartbeatIsWrittenEvenWhenItsWakeUpComesBeforeTheStreamWaits() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Semaphore flushes = new Semaphore(1);
		Thread streaming = Thread.ofVirtual().start(() -> this.stream.streamTo(owner(this.stream), out, () -> {
			try {
				flushes.acquire();
			}
			catch (InterruptedException ex) {
				throw new IOException(ex);
			}
		}, this::interrupt));
		await().until(() -> streaming.getState() == Thread.State.WAITING && !flushes.hasQueuedThreads());

		this.stream.onTick(System.nanoTime(), 0, NO_TIMEOUT);
		await("the heartbeat's line, flushing").until(flushes::hasQueuedThreads);
		// Asks for the blank line while the stream is still flushing: that wake-up is spent
		// before the stream waits again.
		this.stream.onTick(System.nanoTime(), 0, NO_TIMEOUT);
		flushes.release();
		await().until(() -> streaming.getState() == Thread.State.WAITING && !flushes.hasQueuedThreads());
		this.stream.onTick(System.nanoTime(), 0, NO_TIMEOUT);
		flushes.release();

		await("the heartbeat's blank line").atMost(Duration.ofSeconds(2))
			.until(() -> out.toString(StandardCharsets.US_ASCII).equals(": connected\n\n: heartbeat\n\n"));
		this.stream.close(DisconnectReason.CLOSED);
		streaming.join(Duration.ofSeconds(5));
	}

	@Test
	void openingWrittenAheadIsFlushedOnTheCallersThreadAndNotWrittenAgain() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		AtomicInteger flushes = new AtomicInteger();
		assertThat(this.stream.writeOpening(out, flushes::incrementAndGet)).isTrue();
		assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(": connected\n\n");
		assertThat(flushes).hasValue(1);
		assertThat(this.stream.writeOpening(out, flushes::incrementAndGet)).as("written twice").isFalse();

		Thread streaming = stream(out);
		this.stream.offer(event("after"));
		await().until(() -> out.toString(StandardCharsets.US_ASCII).equals(": connected\n\ndata: after\n\n"));
		this.stream.close(DisconnectReason.CLOSED);
		streaming.join(Duration.ofSeconds(5));
		assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(": connected\n\ndata: after\n\n");
	}

	@Test
	void replayAfterAnOpeningWrittenAheadIsWrittenByTheStreamsThread() throws Exception {
		ClientStream replaying = new ClientStream(OverflowPolicy.DISCONNECT,
				": connected\n\n".getBytes(StandardCharsets.US_ASCII), List.of(event("missed")),
				new ClientStream.Shared(4, new Counters(), (lagNanos) -> {
				}, ClientListeners.NONE), this.closed::add);
		List<Thread> writers = new CopyOnWriteArrayList<>();
		ByteArrayOutputStream out = new ByteArrayOutputStream() {

			@Override
			public synchronized void write(byte[] bytes, int offset, int length) {
				writers.add(Thread.currentThread());
				super.write(bytes, offset, length);
			}

		};
		assertThat(replaying.writeOpening(out, () -> {
		})).isTrue();
		assertThat(out.toString(StandardCharsets.US_ASCII)).as("only the opening: a replay may not fit the buffers")
			.isEqualTo(": connected\n\n");

		Thread streaming = Thread.ofVirtual().start(() -> replaying.streamTo(owner(replaying), out, () -> {
		}, this::interrupt));
		await().until(() -> out.toString(StandardCharsets.US_ASCII).equals(": connected\n\ndata: missed\n\n"));
		assertThat(writers).containsExactly(Thread.currentThread(), streaming);
		replaying.close(DisconnectReason.CLOSED);
		streaming.join(Duration.ofSeconds(5));
	}

	@Test
	void openingIsNotWrittenAheadOnceTheStreamRuns() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Thread streaming = stream(out);
		await().until(() -> streaming.getState() == Thread.State.WAITING);

		assertThat(this.stream.writeOpening(out, () -> {
		})).isFalse();

		this.stream.close(DisconnectReason.CLOSED);
		streaming.join(Duration.ofSeconds(5));
		assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(": connected\n\n");
	}

	private Thread stream(OutputStream out) {
		return Thread.ofVirtual().start(() -> this.stream.streamTo(owner(this.stream), out, () -> {
		}, this::interrupt));
	}

	private void interrupt(Thread writer) {
		this.aborted.add(writer);
		writer.interrupt();
	}

	private static EncodedEvent event(String data) {
		return new EncodedEvent(1, null, ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), System.nanoTime());
	}

	@Test
	void listenersAreToldOfTheEndOnlyOnceTheClientIsLetGo() throws Exception {
		List<String> order = new CopyOnWriteArrayList<>();
		AtomicReference<Thread> streaming = new AtomicReference<>();
		SseClientListener listener = new SseClientListener() {

			@Override
			public void onDisconnect(SseClient client, DisconnectReason reason) {
				order.add("told");
			}

		};
		// The closing thread lets the client go only once the stream, woken by the close,
		// has told its listeners or waits to.
		ClientStream closing = new ClientStream(OverflowPolicy.DISCONNECT,
				": connected\n\n".getBytes(StandardCharsets.US_ASCII), List.of(),
				new ClientStream.Shared(4, new Counters(), (lagNanos) -> {
				}, new ClientListeners(List.of(listener))), (reason) -> {
					await().until(() -> !order.isEmpty() || streaming.get().getState() == Thread.State.TIMED_WAITING);
					order.add("let go");
				});
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		streaming.set(Thread.ofVirtual().start(() -> closing.streamTo(owner(closing), out, () -> {
		}, Thread::interrupt)));
		await().until(() -> streaming.get().getState() == Thread.State.WAITING && out.size() > 0);

		closing.close(DisconnectReason.CLOSED);
		streaming.get().join();
		assertThat(order).containsExactly("let go", "told");
	}

	private static SseClient owner(ClientStream stream) {
		return new SseClient(1, SseSubscription.everyone(), stream, new StreamDeadlines());
	}

}
