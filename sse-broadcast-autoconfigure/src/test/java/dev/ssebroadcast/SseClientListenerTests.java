package dev.ssebroadcast;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * {@link SseClientListener}s hear of each stream's start, and of its end exactly once
 * with the reason, whatever ends it, on the stream's own thread.
 */
class SseClientListenerTests {

	private final Recorder recorder = new Recorder();

	private final List<SseBroadcaster> broadcasters = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeBroadcasters() {
		this.broadcasters.forEach(SseBroadcaster::close);
	}

	@Test
	void connectIsToldOnTheStreamsThreadBeforeAnythingIsWritten() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		List<Integer> writtenBefore = new CopyOnWriteArrayList<>();
		SseBroadcaster broadcaster = broadcaster(SseBroadcaster.builder().clientListener(new SseClientListener() {

			@Override
			public void onConnect(SseClient client) {
				writtenBefore.add(out.size());
			}

		}));
		SseClient client = broadcaster.connect();
		Thread streaming = stream(client, out);

		await().until(() -> this.recorder.count("connect") == 1);
		Call connect = this.recorder.calls.get(0);
		assertThat(connect.client()).isSameAs(client);
		assertThat(connect.thread()).isSameAs(streaming);
		assertThat(writtenBefore).as("bytes written before onConnect").containsExactly(0);
		client.close();
		streaming.join();
	}

	@Test
	void welcomeSentOnConnectFollowsTheReplayAndPrecedesLaterEvents() throws Exception {
		SseBroadcaster broadcaster = broadcaster(SseBroadcaster.builder().clientListener(new SseClientListener() {

			@Override
			public void onConnect(SseClient client) {
				SseClientListenerTests.this.last.sendToClient(client.id(), SseEvent.of("welcome " + client.id()));
			}

		}));
		this.last = broadcaster;
		broadcaster.broadcast(SseEvent.of("first").withId("e1"));
		broadcaster.broadcast(SseEvent.of("missed").withId("e2"));
		SseClient client = broadcaster.connect(SseSubscription.everyone(), "e1");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Thread streaming = stream(client, out);
		await().until(() -> data(out).size() == 2);
		broadcaster.broadcast(SseEvent.of("later"));
		await().until(() -> data(out).size() == 3);

		assertThat(data(out)).containsExactly("missed", "welcome " + client.id(), "later");
		client.close();
		streaming.join();
	}

	@Test
	void everyWayAStreamEndsIsToldOnceWithItsReason() throws Exception {
		assertToldOnce(DisconnectReason.CLOSED, SseBroadcaster.builder(), new ByteArrayOutputStream(),
				(client) -> client.close());
		assertToldOnce(DisconnectReason.REVOKED, SseBroadcaster.builder(), new ByteArrayOutputStream(),
				(client) -> this.last.disconnect(client.id()));
		assertToldOnce(DisconnectReason.SHUTDOWN, SseBroadcaster.builder(), new ByteArrayOutputStream(),
				(client) -> this.last.close());
		assertToldOnce(DisconnectReason.EXPIRED, SseBroadcaster.builder(), new ByteArrayOutputStream(),
				(client) -> client.expireAt(Instant.now()));
		assertToldOnce(DisconnectReason.LIFETIME_ENDED,
				SseBroadcaster.builder().maxConnectionLifetime(Duration.ofMillis(100)), new ByteArrayOutputStream(),
				(client) -> {
				});
		GatedOutputStream full = new GatedOutputStream();
		assertToldOnce(DisconnectReason.OVERFLOW, SseBroadcaster.builder().clientQueueCapacity(1), full,
				(client) -> {
					await().until(full::isWriting);
					this.last.broadcast("one");
					this.last.broadcast("two");
				});
		assertToldOnce(DisconnectReason.WRITE_ERROR,
				SseBroadcaster.builder().writeTimeout(Duration.ofMillis(100)).heartbeat(Duration.ofMillis(100)),
				new GatedOutputStream(), (client) -> {
				});
		assertToldOnce(DisconnectReason.CLIENT_GONE, SseBroadcaster.builder(),
				new Failing(new IOException("Broken pipe")), (client) -> {
				});
		assertToldOnce(DisconnectReason.CLIENT_GONE, SseBroadcaster.builder(),
				new Failing(new IOException("Client gone", new EOFException())), (client) -> {
				});
	}

	@Test
	void writeThatFailsForAnotherReasonThanTheClientLeavingIsAWriteError() throws Exception {
		assertToldOnce(DisconnectReason.WRITE_ERROR, SseBroadcaster.builder(),
				new Failing(new IOException("No buffer space available")), (client) -> {
				});
	}

	@Test
	void listenerThatThrowsNeitherBreaksTheStreamNorSilencesTheOthers() throws Exception {
		SseBroadcaster broadcaster = broadcaster(SseBroadcaster.builder().clientListener(new SseClientListener() {

			@Override
			public void onConnect(SseClient client) {
				throw new IllegalStateException("onConnect fails");
			}

			@Override
			public void onDisconnect(SseClient client, DisconnectReason reason) {
				throw new IllegalStateException("onDisconnect fails");
			}

		}));
		List<LogRecord> logged = new CopyOnWriteArrayList<>();
		Logger log = Logger.getLogger(ClientListeners.class.getName());
		Handler capture = new Handler() {

			@Override
			public void publish(LogRecord record) {
				logged.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		// The failures this test causes are its to check, not the build output's to show.
		log.setUseParentHandlers(false);
		log.addHandler(capture);
		try {
			SseClient client = broadcaster.connect();
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			Thread streaming = stream(client, out);
			await().until(() -> this.recorder.count("connect") == 1);

			broadcaster.broadcast("still streaming");
			await().until(() -> out.toString(StandardCharsets.UTF_8).contains("still streaming"));
			client.close();
			streaming.join();
			assertThat(this.recorder.count("disconnect")).isOne();
			assertThat(logged).extracting(LogRecord::getLevel, (record) -> record.getThrown().getMessage())
				.containsExactly(tuple(Level.WARNING, "onConnect fails"),
						tuple(Level.WARNING, "onDisconnect fails"));
		}
		finally {
			log.removeHandler(capture);
			log.setUseParentHandlers(true);
		}
	}

	private SseBroadcaster last;

	private void assertToldOnce(DisconnectReason reason, SseBroadcaster.Builder builder, OutputStream out,
			Consumer<SseClient> end) throws Exception {
		this.recorder.calls.clear();
		SseBroadcaster broadcaster = broadcaster(builder);
		this.last = broadcaster;
		SseClient client = broadcaster.connect();
		Thread streaming = stream(client, out);
		await().until(() -> this.recorder.count("connect") == 1);
		end.accept(client);
		streaming.join(Duration.ofSeconds(10));
		assertThat(streaming.isAlive()).as("stream still running after %s", reason).isFalse();
		// Anything that would close the client again, after the end.
		client.close(DisconnectReason.CLOSED);
		broadcaster.close();

		assertThat(this.recorder.calls).as("calls for %s", reason)
			.extracting(Call::kind, Call::client, Call::reason, Call::thread)
			.containsExactly(tuple("connect", client, null, streaming),
					tuple("disconnect", client, reason, streaming));
	}

	private SseBroadcaster broadcaster(SseBroadcaster.Builder builder) {
		SseBroadcaster broadcaster = builder.clientListener(this.recorder).build();
		this.broadcasters.add(broadcaster);
		return broadcaster;
	}

	private static Thread stream(SseClient client, OutputStream out) {
		return Thread.ofVirtual().start(() -> client.streamTo(out, () -> {
		}));
	}

	private static List<String> data(ByteArrayOutputStream out) {
		return out.toString(StandardCharsets.UTF_8)
			.lines()
			.filter((line) -> line.startsWith("data: "))
			.map((line) -> line.substring(6))
			.toList();
	}

	private record Call(String kind, SseClient client, DisconnectReason reason, Thread thread) {

	}

	private final class Recorder implements SseClientListener {

		final List<Call> calls = new CopyOnWriteArrayList<>();

		@Override
		public void onConnect(SseClient client) {
			this.calls.add(new Call("connect", client, null, Thread.currentThread()));
		}

		@Override
		public void onDisconnect(SseClient client, DisconnectReason reason) {
			this.calls.add(new Call("disconnect", client, reason, Thread.currentThread()));
		}

		long count(String kind) {
			return this.calls.stream().filter((call) -> call.kind().equals(kind)).count();
		}

	}

	/** A connection whose every write fails with the given error. */
	private static final class Failing extends OutputStream {

		private final IOException failure;

		Failing(IOException failure) {
			this.failure = failure;
		}

		@Override
		public void write(int b) throws IOException {
			throw this.failure;
		}

	}

}
