package dev.ssebroadcast.redis;

import java.time.Duration;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseSubscription;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code disconnect} and {@code disconnectUser} called on one instance end the streams
 * on every instance: the command travels the shared relay like an event.
 */
class RevocationAcrossInstancesTests {

	private static RedisServer redis;

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void startInstances() {
		redis = RedisServer.start();
		a = Instance.start(redis, "revocation");
		b = Instance.start(redis, "revocation");
	}

	@AfterAll
	static void stopInstances() {
		try (RedisServer server = redis; Instance first = a; Instance second = b) {
			// Closed in reverse order: the instances, then Redis.
		}
	}

	@Test
	void disconnectOnOneInstanceEndsTheClientOnAnother() {
		SseTestClient onB = b.connect("/sse");
		SseTestClient otherOnB = b.connect("/sse");
		await().atMost(Duration.ofSeconds(10)).until(() -> b.broadcaster().clientCount() == 2);
		SseClient target = b.broadcaster().clients().getFirst();
		a.broadcaster().broadcast("before");
		onB.awaitData("before");
		otherOnB.awaitData("before");

		a.broadcaster().disconnect(target.id());

		await().atMost(Duration.ofSeconds(10)).until(() -> !target.isOpen());
		assertThat(target.disconnectReason()).isEqualTo(DisconnectReason.REVOKED);
		await().atMost(Duration.ofSeconds(10)).until(() -> onB.hasEnded() || otherOnB.hasEnded());
		assertThat(onB.isOpen() && otherOnB.isOpen()).as("one of the two streams on B ended").isFalse();
		assertThat(b.broadcaster().clientCount()).isEqualTo(1);
		b.closeClients();
	}

	@Test
	void disconnectUserOnOneInstanceEndsTheirStreamsEverywhere() {
		SseClient malloryOnA = a.broadcaster().connect(SseSubscription.everyone().withUser("mallory"), null);
		SseClient malloryOnB = b.broadcaster().connect(SseSubscription.everyone().withUser("mallory"), null);
		SseClient aliceOnB = b.broadcaster().connect(SseSubscription.everyone().withUser("alice"), null);

		a.broadcaster().disconnectUser("mallory");

		await().atMost(Duration.ofSeconds(10)).until(() -> !malloryOnA.isOpen() && !malloryOnB.isOpen());
		assertThat(malloryOnB.disconnectReason()).isEqualTo(DisconnectReason.REVOKED);
		assertThat(aliceOnB.isOpen()).isTrue();
		aliceOnB.close();
	}

}
