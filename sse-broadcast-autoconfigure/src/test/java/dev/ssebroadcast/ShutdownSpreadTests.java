package dev.ssebroadcast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A closing broadcaster ends each stream with a reconnection delay of its own, within
 * the shutdown reconnect spread, so that its clients do not all come back at once.
 */
class ShutdownSpreadTests {

	private static final Pattern LAST_RETRY = Pattern.compile("retry: (\\d+)\n: reconnect\n\n$");

	private SseBroadcaster broadcaster = new SseBroadcaster();

	@AfterEach
	void close() {
		this.broadcaster.close();
	}

	@Test
	void closeEndsEachStreamWithWhatIsQueuedThenADelayOfItsOwnWithinTheSpread() {
		this.broadcaster = SseBroadcaster.builder().shutdownReconnectSpread(Duration.ofSeconds(5)).build();
		List<SseClient> clients = IntStream.range(0, 50).mapToObj((i) -> this.broadcaster.connect()).toList();
		List<Stream> streams = clients.stream().map(Stream::of).toList();
		await().until(() -> streams.stream().allMatch((stream) -> stream.text().contains(": connected")));
		this.broadcaster.broadcast("last before close");

		this.broadcaster.close();

		await().atMost(Duration.ofSeconds(3)).until(() -> streams.stream().noneMatch((s) -> s.thread().isAlive()));
		Set<Long> delays = new HashSet<>();
		for (Stream stream : streams) {
			assertThat(stream.text()).as("what the stream wrote").contains("data: last before close\n");
			Matcher retry = LAST_RETRY.matcher(stream.text());
			assertThat(retry.find()).as("stream ends with a retry: %s", stream.text()).isTrue();
			long delay = Long.parseLong(retry.group(1));
			assertThat(delay).as("delay in ms").isBetween(0L, 4999L);
			delays.add(delay);
		}
		assertThat(delays).as("distinct delays among 50 clients").hasSizeGreaterThan(40);
		assertThat(clients).allMatch((client) -> client.disconnectReason() == DisconnectReason.SHUTDOWN);
		assertThat(this.broadcaster.statistics().disconnects(DisconnectReason.SHUTDOWN)).isEqualTo(50);
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void withoutSpreadCloseEndsStreamsAtOnceWithoutARetry() {
		this.broadcaster = SseBroadcaster.builder().shutdownReconnectSpread(Duration.ZERO).build();
		SseClient client = this.broadcaster.connect();
		Stream stream = Stream.of(client);
		await().until(() -> stream.text().contains(": connected"));

		this.broadcaster.close();

		await().atMost(Duration.ofSeconds(3)).until(() -> !stream.thread().isAlive());
		assertThat(stream.text()).isEqualTo(": connected\n\n");
		assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.SHUTDOWN);
	}

	@Test
	void clientNotStreamedYetIsClosedAtOnce() {
		SseClient client = this.broadcaster.connect();

		long start = System.nanoTime();
		this.broadcaster.close();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to close")
			.isLessThan(Duration.ofMillis(500));
		assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.SHUTDOWN);
	}

	@Test
	void streamThatDoesNotTakeItsEndIsClosedAfterTheWriteTimeout() throws InterruptedException {
		this.broadcaster = SseBroadcaster.builder().writeTimeout(Duration.ofMillis(300)).build();
		SseClient client = this.broadcaster.connect();
		GatedOutputStream stalled = new GatedOutputStream();
		Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(stalled, () -> {
		}));
		await().until(stalled::isWriting);

		long start = System.nanoTime();
		this.broadcaster.close();
		Duration closing = Duration.ofNanos(System.nanoTime() - start);

		assertThat(closing).as("time to close: the write timeout at most")
			.isBetween(Duration.ofMillis(250), Duration.ofMillis(900));
		assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.SHUTDOWN);
		streaming.join(Duration.ofSeconds(5));
		assertThat(streaming.isAlive()).as("stream thread alive").isFalse();
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void delaysAreDrawnOverTheWholeSpread() {
		ShutdownSpread spread = new ShutdownSpread(Duration.ofSeconds(10), Duration.ofSeconds(1));
		long shortest = Long.MAX_VALUE;
		long longest = 0;
		for (int i = 0; i < 10_000; i++) {
			long drawn = spread.draw().toMillis();
			shortest = Math.min(shortest, drawn);
			longest = Math.max(longest, drawn);
		}
		assertThat(shortest).isBetween(0L, 100L);
		assertThat(longest).isBetween(9_900L, 9_999L);
	}

	@Test
	void spreadMustBeZeroOrAtLeastAMillisecond() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SseBroadcaster.builder().shutdownReconnectSpread(Duration.ofMillis(-1)))
			.withMessage("shutdownReconnectSpread must be zero or at least 1ms, but was PT-0.001S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SseBroadcaster.builder().shutdownReconnectSpread(Duration.ofNanos(500_000)));
	}

	/**
	 * A client streamed into memory by a thread of its own.
	 */
	private record Stream(ByteArrayOutputStream out, Thread thread) {

		static Stream of(SseClient client) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			return new Stream(out, Thread.ofVirtual().start(() -> client.streamTo(out, () -> {
			})));
		}

		String text() {
			return this.out.toString(StandardCharsets.UTF_8);
		}

	}

}
