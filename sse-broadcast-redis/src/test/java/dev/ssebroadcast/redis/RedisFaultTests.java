package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.relay.SseRelayException;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import static dev.ssebroadcast.redis.ResetAssertions.assertResetOrComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What two instances do when Redis fails: nothing is lost, or clients are told with
 * {@code sse-reset}; never a silent gap.
 */
class RedisFaultTests {

	private static RedisServer redis;

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void startInstances() {
		redis = RedisServer.startPersistent();
		// A short retention, so that a paused reader falls behind it quickly.
		a = Instance.start(redis, "faults", "sse.broadcast.redis.retention.max-length=10");
		b = Instance.start(redis, "faults", "sse.broadcast.redis.retention.max-length=10");
	}

	@AfterAll
	static void stopInstances() {
		for (Instance instance : new Instance[] { a, b }) {
			if (instance != null) {
				instance.close();
			}
		}
		redis.close();
	}

	@AfterEach
	void redisRunsAndInstancesAreHealthy() {
		if (!redis.isRunning()) {
			redis.restart();
		}
		a.closeClients();
		b.closeClients();
		// Once both instances deliver it, no earlier event can reach the next test's clients.
		SseTestClient probeOnA = a.connect("/sse");
		SseTestClient probeOnB = b.connect("/sse");
		await().atMost(Duration.ofSeconds(10)).until(() -> a.broadcaster().clientCount() + b.broadcaster().clientCount() == 2);
		// A publish that succeeds also clears a failed one from the health.
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> publish(a, "after the test"));
		probeOnA.awaitData("after the test");
		probeOnB.awaitData("after the test");
		await().atMost(Duration.ofSeconds(10)).until(() -> a.relayHealth() == Status.UP && b.relayHealth() == Status.UP);
		for (Instance instance : List.of(a, b)) {
			instance.closeClients();
			await("clients to be gone").atMost(Duration.ofSeconds(10))
				.until(() -> instance.broadcaster().clientCount() == 0);
		}
	}

	@Test
	void killedRedisFailsPublishFastWithTheDocumentedExceptionAndLeavesStreamsOpen() {
		SseTestClient onA = a.connect("/sse");
		SseTestClient onB = b.connect("/sse");
		awaitClients();
		a.broadcaster().broadcast("before");
		onA.awaitData("before");
		onB.awaitData("before");

		redis.kill();

		long started = System.nanoTime();
		assertThatExceptionOfType(SseRelayException.class).isThrownBy(() -> a.broadcaster().broadcast("during"))
			.withMessageStartingWith("Redis is unreachable at 127.0.0.1:" + redis.port() + " (");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time to fail, with a 500ms timeout")
			.isLessThan(Duration.ofMillis(800));
		assertThat(a.relay().status().publishFailures()).isPositive();
		await().atMost(Duration.ofSeconds(5)).until(() -> a.relayHealth() == Status.DOWN && b.relayHealth() == Status.DOWN);
		assertThat(onA.isOpen()).as("stream on A").isTrue();
		assertThat(onB.isOpen()).as("stream on B").isTrue();
		assertThat(onA.data()).containsExactly("before");
	}

	@Test
	void redisBackWithItsDataResumesDeliveryInOrderWithWhatOthersPublishedMeanwhile() throws Exception {
		SseTestClient onA = a.connect("/sse");
		SseTestClient onB = b.connect("/sse");
		awaitClients();
		for (int i = 1; i <= 3; i++) {
			a.broadcaster().broadcast("e" + i);
		}
		onA.awaitData("e3");

		try (AutoCloseable paused = a.relay().pauseReader()) {
			redis.restart();
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> publish(b, "e4"));
			publish(b, "e5");
			publish(b, "e6");
			assertThat(onB.awaitData("e6")).containsExactly("e1", "e2", "e3", "e4", "e5", "e6");
			assertThat(onA.data()).as("A's reader is paused").containsExactly("e1", "e2", "e3");
		}
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> publish(a, "e7"));

		assertThat(onA.awaitData("e7")).containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7");
		assertThat(onB.awaitData("e7")).containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7");
		assertThat(onA.events()).as("the same ids on both instances").containsExactlyElementsOf(onB.events());
	}

	@Test
	void redisBackEmptyTellsClientsToReset() {
		SseTestClient onA = a.connect("/sse");
		SseTestClient onB = b.connect("/sse");
		awaitClients();
		a.broadcaster().broadcast("kept");
		String keptId = onA.awaitEvents(1).get(0).id();
		onB.awaitData("kept");

		redis.restartEmpty();

		assertThat(onA.awaitEvents(2).get(1).event()).as("told with nothing published").isEqualTo(SseBroadcaster.RESET_EVENT);
		assertThat(onB.awaitEvents(2).get(1).event()).isEqualTo(SseBroadcaster.RESET_EVENT);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> publish(b, "new"));
		assertThat(onA.awaitData("new")).containsExactly("kept", "history-lost", "new");
		assertThat(onB.awaitData("new")).containsExactly("kept", "history-lost", "new");
		assertThat(onA.events()).containsExactlyElementsOf(onB.events());
		assertThat(onA.events().get(2).id()).as("a new epoch").isNotEqualTo(keptId).doesNotStartWith(epochOf(keptId));

		SseTestClient resuming = b.connect("/sse", Map.of("Last-Event-ID", keptId));
		assertThat(resuming.awaitEvents(1).get(0).event()).as("an id from before the loss")
			.isEqualTo(SseBroadcaster.RESET_EVENT);
	}

	@Test
	void readerPausedPastTheRetentionResetsItsClients() throws Exception {
		SseTestClient onA = a.connect("/sse");
		SseTestClient onB = b.connect("/sse");
		awaitClients();
		List<String> published = new ArrayList<>();
		long resets = a.relay().status().resets();
		try (AutoCloseable paused = a.relay().pauseReader()) {
			for (int i = 0; i < 250; i++) {
				published.add("event-" + i);
				b.broadcaster().broadcast("event-" + i);
			}
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> a.relay().status().resets() > resets);
		published.add("after");
		b.broadcaster().broadcast("after");

		await().atMost(Duration.ofSeconds(10)).until(() -> onA.data().contains("after"));
		// B's own reader may also fall behind a retention this small on a busy machine:
		// then B's clients are reset too, never handed a gap.
		await().atMost(Duration.ofSeconds(10)).until(() -> onB.data().contains("after"));
		assertResetOrComplete(onB.events(), published);
		List<ReceivedEvent> received = onA.events();
		int reset = received.stream().map(ReceivedEvent::event).toList().indexOf(SseBroadcaster.RESET_EVENT);
		assertThat(reset).as("an sse-reset in %s", received).isNotNegative();
		assertResetOrComplete(received, published);
		assertThat(onA.data().stream().filter(published::contains).count())
			.as("events trimmed while A's reader was paused")
			.isLessThan(published.size());
	}

	@Test
	void instanceStartedWhileRedisIsDownJoinsOnceItIsUp() {
		redis.kill();
		try (Instance late = Instance.start(redis, "faults", "sse.broadcast.redis.retention.max-length=10")) {
			assertThat(late.relayHealth()).isEqualTo(Status.DOWN);
			SseTestClient onLate = late.connect("/sse");
			redis.restart();
			await().atMost(Duration.ofSeconds(10)).until(() -> late.relayHealth() == Status.UP);
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> publish(a, "to the late one"));

			assertThat(onLate.awaitData("to the late one")).endsWith("to the late one");
		}
	}

	private static boolean publish(Instance instance, String data) {
		instance.broadcaster().broadcast(data);
		return true;
	}

	private static void awaitClients() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> a.broadcaster().clientCount() == 1 && b.broadcaster().clientCount() == 1);
	}

	private static String epochOf(String id) {
		return id.substring(0, id.lastIndexOf('-') + 1);
	}

}
