package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.ssebroadcast.redis.ResetAssertions.assertResetOrComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance whose reader fell behind gets its clients back in step: each gets every
 * event or an {@code sse-reset}, never a silent gap, and a reset reaches a slow client as
 * {@code sse-reset}, not as a disconnect for overflowing its queue.
 */
class CatchUpTests {

	private static RedisServer redis;

	private static Instance fast;

	private static Instance slow;

	@BeforeAll
	static void startInstances() {
		redis = RedisServer.start();
		fast = Instance.start(redis, "catch-up", "sse.broadcast.redis.retention.max-length=10");
		// Reads of 2 MB at most; clients that hold four events.
		slow = Instance.start(redis, "catch-up", "sse.broadcast.redis.retention.max-length=10",
				"sse.broadcast.redis.reader.batch-bytes=2MB", "sse.broadcast.client-queue-capacity=4");
	}

	@AfterAll
	static void stopInstances() {
		fast.close();
		slow.close();
		redis.close();
	}

	@AfterEach
	void closeClients() {
		fast.closeClientsAndAwaitGone();
		slow.closeClientsAndAwaitGone();
	}

	@Test
	void readerFarBehindLargeEventsResetsItsClientsAndGoesOn() throws Exception {
		SseTestClient onSlow = slow.connect("/sse");
		awaitClient(slow);
		String large = "x".repeat(900 * 1024);
		List<String> published = new ArrayList<>();
		long resets = slow.relay().status().resets();
		try (AutoCloseable paused = slow.relay().pauseReader()) {
			for (int i = 0; i < 40; i++) {
				published.add(i + large);
				fast.broadcaster().broadcast(i + large);
			}
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> slow.relay().status().resets() > resets);
		published.add("after");
		fast.broadcaster().broadcast("after");

		await().atMost(Duration.ofSeconds(20)).until(() -> onSlow.data().contains("after"));
		assertResetOrComplete(onSlow.events(), published);
		assertThat(onSlow.isOpen()).as("the slow instance's stream").isTrue();
	}

	@Test
	void newEpochAfterAnOutageReachesASlowInstancesClientsAsResetNotAsOverflow() throws Exception {
		SseTestClient onSlow = slow.connect("/sse");
		SseTestClient onFast = fast.connect("/sse");
		awaitClient(slow);
		awaitClient(fast);
		fast.broadcaster().broadcast("before");
		onSlow.awaitData("before");
		List<String> published = new ArrayList<>(List.of("before"));
		long resets = slow.relay().status().resets();
		try (AutoCloseable paused = slow.relay().pauseReader()) {
			redis.restartEmpty();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> onFast.events().stream().anyMatch((event) -> SseBroadcaster.RESET_EVENT.equals(event.event())));
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> publish("new-0"));
			published.add("new-0");
			for (int i = 1; i < 50; i++) {
				published.add("new-" + i);
				fast.broadcaster().broadcast("new-" + i);
			}
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> slow.relay().status().resets() > resets);
		published.add("after");
		fast.broadcaster().broadcast("after");

		await().atMost(Duration.ofSeconds(10)).until(() -> onSlow.data().contains("after"));
		assertThat(onSlow.isOpen()).as("the slow instance's stream, not disconnected").isTrue();
		assertThat(slow.broadcaster().clients()).as("its client, not dropped for overflow").hasSize(1);
		assertThat(slow.broadcaster().clients().get(0).dropped()).isZero();
		assertResetOrComplete(onSlow.events(), published);
	}

	@Test
	void clientAheadOfAnInstanceStillBehindGetsWhatFollowsItsIdWithNoResetAndNoDuplicate() throws Exception {
		SseTestClient onFast = fast.connect("/sse");
		awaitClient(fast);
		SseTestClient onSlow;
		try (AutoCloseable paused = slow.relay().pauseReader()) {
			for (int i = 0; i < 3; i++) {
				fast.broadcaster().broadcast("seen-on-fast-" + i);
			}
			String lastSeen = onFast.awaitEvents(3).get(2).id();
			// Opens once the catch-up wait (the publish timeout) is over, the reader still paused.
			onSlow = slow.connect("/sse", Map.of("Last-Event-ID", lastSeen));
			awaitClient(slow);
		}
		fast.broadcaster().broadcast("after");

		assertThat(onSlow.awaitData("after")).as("what the client had on the other instance is not sent again")
			.containsExactly("after");
		assertThat(onSlow.events()).noneMatch((event) -> SseBroadcaster.RESET_EVENT.equals(event.event()));
	}

	private static boolean publish(String data) {
		fast.broadcaster().broadcast(data);
		return true;
	}

	private static void awaitClient(Instance instance) {
		await().atMost(Duration.ofSeconds(10)).until(() -> instance.broadcaster().clientCount() == 1);
	}

}
