package dev.ssebroadcast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams that end on a deadline (an expiring authentication, a maximum lifetime) or
 * on a revocation, seen from the broadcaster.
 */
class StreamEndTests {

	private static final String EXPIRED = "event: sse-expired\ndata: authentication-expired\n\n";

	private SseBroadcaster broadcaster = new SseBroadcaster();

	@AfterEach
	void close() {
		this.broadcaster.close();
	}

	@Test
	void expiredStreamEndsWithOneExpiredEventAtItsDeadline() {
		SseClient client = this.broadcaster.connect();
		Stream stream = Stream.of(client);
		Instant deadline = Instant.now().plusMillis(400);
		client.expireAt(deadline);
		this.broadcaster.broadcast("before");

		await().atMost(Duration.ofSeconds(3)).until(() -> !stream.thread().isAlive());

		assertThat(Instant.now()).as("not before the deadline").isAfterOrEqualTo(deadline);
		assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.EXPIRED);
		assertThat(stream.text()).contains("data: before\n").endsWith(EXPIRED);
		assertThat(stream.text().split("sse-expired", -1)).as("sse-expired written once").hasSize(2);
		assertThat(this.broadcaster.statistics().disconnects(DisconnectReason.EXPIRED)).isEqualTo(1);
	}

	@Test
	void eventsQueuedBeforeTheEndAreWrittenBeforeTheExpiredEvent() {
		SseClient client = this.broadcaster.connect();
		for (int i = 0; i < 5; i++) {
			this.broadcaster.broadcast("queued " + i);
		}
		client.expireAt(Instant.now());
		Stream stream = Stream.of(client);

		await().atMost(Duration.ofSeconds(3)).until(() -> !stream.thread().isAlive());

		assertThat(stream.text()).contains("data: queued 0\n", "data: queued 4\n").endsWith(EXPIRED);
	}

	@Test
	void theEarliestDeadlineCounts() {
		SseClient client = this.broadcaster.connect();
		Stream stream = Stream.of(client);
		client.expireAt(Instant.now().plusSeconds(3600));
		client.expireAt(Instant.now().plusMillis(100));
		client.expireAt(Instant.now().plusSeconds(60));

		await().atMost(Duration.ofSeconds(3)).until(() -> !stream.thread().isAlive());
		assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.EXPIRED);
	}

	@Test
	void deadlineOfAClientThatLeftIsForgotten() {
		SseClient client = this.broadcaster.connect();
		client.expireAt(Instant.now().plusSeconds(3600));
		assertThat(this.broadcaster.deadlineCount()).isEqualTo(1);

		client.close();

		assertThat(this.broadcaster.deadlineCount()).as("deadlines held after the client left").isZero();
	}

	@Test
	void deadlineFarInTheFutureIsKept() {
		SseClient client = this.broadcaster.connect();
		client.expireAt(Instant.MAX);
		assertThat(client.isOpen()).isTrue();
		assertThat(this.broadcaster.deadlineCount()).isEqualTo(1);
	}

	@Test
	void deadlineGivenAfterCloseIsIgnored() {
		SseClient client = this.broadcaster.connect();
		this.broadcaster.close();

		client.expireAt(Instant.now().plusSeconds(60));

		assertThat(this.broadcaster.deadlineCount()).isZero();
	}

	@Test
	void disconnectEndsOneClientOnly() {
		SseClient revoked = this.broadcaster.connect();
		SseClient other = this.broadcaster.connect();

		assertThat(this.broadcaster.disconnect(revoked.id())).isTrue();

		assertThat(revoked.disconnectReason()).isEqualTo(DisconnectReason.REVOKED);
		assertThat(other.isOpen()).isTrue();
		assertThat(this.broadcaster.disconnect(revoked.id())).as("a client already gone").isFalse();
		assertThat(this.broadcaster.statistics().disconnects(DisconnectReason.REVOKED)).isEqualTo(1);
	}

	@Test
	void disconnectUserEndsEveryStreamOfThatUser() {
		SseClient tab1 = this.broadcaster.connect(SseSubscription.everyone().withUser("mallory"), null);
		SseClient tab2 = this.broadcaster.connect(SseSubscription.topics(List.of("news")).withUser("mallory"), null);
		SseClient alice = this.broadcaster.connect(SseSubscription.everyone().withUser("alice"), null);
		Stream stream = Stream.of(tab1);

		assertThat(this.broadcaster.disconnectUser("mallory")).isEqualTo(2);

		assertThat(tab1.disconnectReason()).isEqualTo(DisconnectReason.REVOKED);
		assertThat(tab2.disconnectReason()).isEqualTo(DisconnectReason.REVOKED);
		assertThat(alice.isOpen()).isTrue();
		await().atMost(Duration.ofSeconds(3)).until(() -> !stream.thread().isAlive());
		assertThat(this.broadcaster.clientCount()).isEqualTo(1);
	}

	@Test
	void disconnectIsNotAnEventForAnyone() {
		SseClient client = this.broadcaster.connect();
		this.broadcaster.disconnectUser("nobody");
		this.broadcaster.disconnect(client.id() + 1);

		assertThat(client.queued()).isZero();
		assertThat(this.broadcaster.statistics().published()).isZero();
	}

	@Test
	void streamEndsWithinItsLifetimeAndAsksForAReconnect() {
		this.broadcaster.close();
		this.broadcaster = SseBroadcaster.builder().maxConnectionLifetime(Duration.ofMillis(400)).build();
		long start = System.nanoTime();
		SseClient client = this.broadcaster.connect();
		Stream stream = Stream.of(client);

		await().atMost(Duration.ofSeconds(3)).until(() -> !stream.thread().isAlive());
		Duration lasted = Duration.ofNanos(System.nanoTime() - start);

		assertThat(lasted).as("lifetime").isBetween(Duration.ofMillis(300), Duration.ofMillis(1400));
		assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.LIFETIME_ENDED);
		assertThat(stream.text()).endsWith("retry: 1000\n: reconnect\n\n");
	}

	@Test
	void lifetimeEndUsesTheConfiguredRetry() {
		this.broadcaster.close();
		this.broadcaster = SseBroadcaster.builder()
			.maxConnectionLifetime(Duration.ofMillis(100))
			.retry(Duration.ofMillis(2500))
			.build();
		SseClient client = this.broadcaster.connect();
		Stream stream = Stream.of(client);

		await().atMost(Duration.ofSeconds(3)).until(() -> !stream.thread().isAlive());
		assertThat(stream.text()).endsWith("retry: 2500\n: reconnect\n\n");
	}

	@Test
	void lifetimesAreSpreadBetweenThreeQuartersAndAll() {
		Lifetime lifetime = new Lifetime(Duration.ofSeconds(100), Duration.ofSeconds(1));
		long shortest = Long.MAX_VALUE;
		long longest = 0;
		for (int i = 0; i < 10_000; i++) {
			long drawn = lifetime.draw();
			shortest = Math.min(shortest, drawn);
			longest = Math.max(longest, drawn);
		}
		assertThat(Duration.ofNanos(shortest)).isBetween(Duration.ofSeconds(75), Duration.ofSeconds(76));
		assertThat(Duration.ofNanos(longest)).isBetween(Duration.ofSeconds(99), Duration.ofSeconds(100));
	}

	@Test
	void withoutLifetimeNoDeadlineIsKept() {
		this.broadcaster.connect();
		assertThat(this.broadcaster.deadlineCount()).isZero();
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
