package dev.ssebroadcast.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One of two instances stops gracefully while events are published: its clients are
 * told to reconnect each after a delay of its own within the shutdown reconnect spread,
 * resume on the other instance with {@code Last-Event-ID}, and lose nothing.
 */
class ShutdownHandoverTests {

	private static final int CLIENTS = 30;

	private static final long SPREAD_MILLIS = 2000;

	@Test
	void clientsOfAStoppingInstanceResumeOnTheOtherSpreadOverTheWindowAndLoseNothing() {
		List<ResumingClient> clients = new ArrayList<>();
		ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
		try (RedisServer redis = RedisServer.start();
				Instance b = Instance.start(redis, "handover")) {
			Instance a = Instance.start(redis, "handover", "server.shutdown=graceful",
					"sse.broadcast.shutdown.reconnect-spread=" + SPREAD_MILLIS + "ms");
			try {
				for (int i = 0; i < CLIENTS; i++) {
					clients.add(ResumingClient.connect(uri(a), uri(b)));
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> a.broadcaster().clientCount() == CLIENTS);
				AtomicInteger published = new AtomicInteger();
				publisher.scheduleAtFixedRate(
						() -> b.broadcaster().broadcast("event " + published.getAndIncrement()), 0, 10,
						TimeUnit.MILLISECONDS);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> clients.stream().allMatch((client) -> client.data().size() >= 5));
			}
			finally {
				a.close();
			}

			await().atMost(Duration.ofSeconds(20))
				.until(() -> clients.stream().allMatch((client) -> client.connectedNanos().size() == 2));
			publisher.shutdown();
			await().atMost(Duration.ofSeconds(10)).until(publisher::isTerminated);
			String last = "event " + (b.broadcaster().statistics().published() - 1);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> clients.stream().allMatch((client) -> client.data().contains(last)));

			Set<Long> delays = new HashSet<>();
			List<Long> resumedAt = new ArrayList<>();
			for (ResumingClient client : clients) {
				List<String> data = client.data();
				int first = Integer.parseInt(data.getFirst().substring("event ".length()));
				assertThat(data).as("events of %s, across the handover", client)
					.containsExactlyElementsOf(IntStream.rangeClosed(first, first + data.size() - 1)
						.mapToObj((i) -> "event " + i)
						.toList())
					.endsWith(last);
				assertThat(client.failures()).as("failed connections").isEmpty();
				long delay = client.endingRetries().getFirst();
				assertThat(delay).as("reconnection delay of %s", client).isBetween(0L, SPREAD_MILLIS - 1);
				delays.add(delay);
				resumedAt.add(client.connectedNanos().get(1));
			}
			assertThat(delays).as("distinct delays among %d clients", CLIENTS).hasSizeGreaterThan(CLIENTS * 2 / 3);
			Duration spreadOut = Duration.ofNanos(resumedAt.stream().mapToLong(Long::longValue).max().getAsLong()
					- resumedAt.stream().mapToLong(Long::longValue).min().getAsLong());
			assertThat(spreadOut).as("from the first client back on B to the last").isGreaterThan(Duration.ofSeconds(1));
		}
		finally {
			publisher.shutdownNow();
			clients.forEach(ResumingClient::close);
		}
	}

	private static URI uri(Instance instance) {
		return URI.create("http://127.0.0.1:" + instance.port() + "/sse");
	}

}
