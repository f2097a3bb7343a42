package dev.ssebroadcast.redis;

import java.time.Duration;

import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's own waits decide, not {@code spring.data.redis.timeout} (the sample's
 * {@code redis} profile sets 500ms, shorter than the reader's 2s block and the 2s publish
 * timeout): a reader that waits for events longer than it is idle, not failing, and a
 * publish that Redis answers late but within the publish timeout succeeds.
 */
class ClientTimeoutTests {

	@Test
	void readerWaitingLongerThanTheCommandTimeoutStaysConnectedWhileIdle() {
		try (RedisServer redis = RedisServer.start();
				Instance instance = Instance.start(redis, "idle", "spring.data.redis.timeout=300ms",
						"sse.broadcast.redis.reader.block-timeout=1s", "sse.broadcast.redis.reader.backoff.min=2s",
						"sse.broadcast.redis.reader.backoff.max=2s")) {
			SseTestClient client = instance.connect("/sse");
			await().atMost(Duration.ofSeconds(10)).until(() -> instance.relay().status().readerConnected());
			long reconnects = instance.relay().status().readerReconnects();

			await("the idle reader to stay connected").during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(3))
				.until(() -> instance.relay().status().readerConnected()
						&& instance.relay().status().readerReconnects() == reconnects);
			long published = System.nanoTime();
			instance.broadcaster().broadcast("after a quiet spell");
			client.awaitData("after a quiet spell");

			assertThat(Duration.ofNanos(System.nanoTime() - published)).as("delivery after the quiet spell")
				.isLessThan(Duration.ofMillis(1000));
			assertThat(instance.relay().status().readerError()).isNull();
		}
	}

	@Test
	void publishAnsweredAfterTheCommandTimeoutButWithinThePublishTimeoutSucceeds() {
		try (RedisServer redis = RedisServer.start();
				Instance instance = Instance.start(redis, "late", "spring.data.redis.timeout=300ms",
						"sse.broadcast.redis.publish-timeout=3s")) {
			SseTestClient client = instance.connect("/sse");
			await().atMost(Duration.ofSeconds(10)).until(() -> instance.relay().status().readerConnected());
			instance.broadcaster().broadcast("first");
			client.awaitData("first");

			assertThat(redis.command("CLIENT", "PAUSE", "1000", "WRITE")).isEqualTo("+OK");
			long start = System.nanoTime();
			instance.broadcaster().broadcast("late");

			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the publish waited for Redis")
				.isGreaterThan(Duration.ofMillis(500));
			client.awaitData("first", "late");
		}
	}

}
