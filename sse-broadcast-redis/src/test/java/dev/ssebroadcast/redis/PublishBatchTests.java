package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.relay.SseRelayNotPublishedException;
import dev.ssebroadcast.relay.SseRelayOutcomeUnknownException;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Concurrent publishes share round trips to Redis: what waits in line while a batch is
 * on its way leaves as the next batch, and each caller learns its own event's outcome,
 * as truthfully as when it publishes alone.
 */
class PublishBatchTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static RedisServer redis;

	private static Instance instance;

	@BeforeAll
	static void startInstance() {
		redis = RedisServer.startPersistent();
		instance = Instance.start(redis, "batches", "sse.broadcast.redis.publish-timeout=" + TIMEOUT.toMillis() + "ms");
	}

	@AfterAll
	static void stopInstance() {
		instance.close();
		redis.close();
	}

	@AfterEach
	void redisRunsAndClientsAreGone() {
		if (!redis.isRunning()) {
			redis.restart();
		}
		redis.command("CLIENT", "UNPAUSE");
		instance.closeClientsAndAwaitGone();
	}

	@Test
	void manyThreadsPublishingAtOnceAreAllAcknowledgedEachInItsOwnOrder() throws Exception {
		SseTestClient client = connected();
		int threads = 64;
		int each = 10;
		List<CompletableFuture<Void>> publishers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			publishers.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < each; i++) {
					instance.broadcaster().broadcast(thread + "-" + i);
				}
			}, (task) -> Thread.ofPlatform().start(task)));
		}
		CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

		List<ReceivedEvent> events = client.awaitEvents(1 + threads * each);
		List<ReceivedEvent> published = events.subList(1, events.size());
		assertThat(published).as("every event once").hasSize(threads * each);
		Map<String, List<Integer>> byThread = new HashMap<>();
		for (ReceivedEvent event : published) {
			String[] parts = event.data().split("-");
			byThread.computeIfAbsent(parts[0], (key) -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
		}
		assertThat(byThread).hasSize(threads);
		byThread.forEach((thread, sequence) -> assertThat(sequence).as("events of thread " + thread)
			.containsExactlyElementsOf(IntStream.range(0, each).boxed().toList()));
		long first = sequenceOf(events.get(0));
		for (int i = 0; i < events.size(); i++) {
			assertThat(sequenceOf(events.get(i))).as("sequence of event " + i).isEqualTo(first + i);
		}
	}

	@Test
	void eventsThatWaitedInLineLeaveInOneBatchInTheOrderTheyCame() throws Exception {
		SseTestClient client = connected();
		redis.command("CONFIG", "RESETSTAT");
		List<CompletableFuture<Object>> outcomes = new ArrayList<>();
		try (AutoCloseable held = instance.relay().holdPublishing()) {
			for (int i = 0; i < 16; i++) {
				outcomes.add(publishInLine(SseEvent.of("in line " + i).withId("line-" + i), i + 1));
			}
		}

		for (CompletableFuture<Object> outcome : outcomes) {
			assertThat(outcome.get(10, TimeUnit.SECONDS)).as("outcome").isInstanceOf(Integer.class);
		}
		String[] expected = IntStream.range(0, 16).mapToObj((i) -> "in line " + i).toArray(String[]::new);
		assertThat(client.awaitData(expected)).containsExactly(concat("ready", expected));
		assertThat(publishScriptCalls()).as("script calls for 16 events").isEqualTo(1);
		assertThat(calls("xadd")).as("stream entries for 16 events").isEqualTo(1);
	}

	@Test
	void duplicateIdsInOneBatchAreAppendedOnceAndEachCallerSucceeds() throws Exception {
		SseTestClient client = connected();
		redis.command("CONFIG", "RESETSTAT");
		List<CompletableFuture<Object>> outcomes = new ArrayList<>();
		try (AutoCloseable held = instance.relay().holdPublishing()) {
			outcomes.add(publishInLine(SseEvent.of("order placed").withId("order-7"), 1));
			outcomes.add(publishInLine(SseEvent.of("order shipped").withId("order-8"), 2));
			outcomes.add(publishInLine(SseEvent.of("order placed").withId("order-7"), 3));
			outcomes.add(publishInLine(SseEvent.of("no id"), 4));
			outcomes.add(publishInLine(SseEvent.of("order shipped").withId("order-8"), 5));
		}

		for (CompletableFuture<Object> outcome : outcomes) {
			assertThat(outcome.get(10, TimeUnit.SECONDS)).as("outcome").isInstanceOf(Integer.class);
		}
		instance.broadcaster().broadcast("after");
		assertThat(client.awaitData("after")).containsExactly("ready", "order placed", "order shipped", "no id",
				"after");
		assertThat(publishScriptCalls()).as("script calls for the five events and 'after'").isEqualTo(2);
		assertThat(calls("xadd")).as("stream entries for the three appended and 'after'").isEqualTo(2);
	}

	@Test
	void batchWithoutAnAnswerInTimeTellsEachOfItsCallersItMayHaveBeenPublished() throws Exception {
		SseTestClient client = connected();
		List<CompletableFuture<Object>> outcomes = new ArrayList<>();
		String[] expected = IntStream.range(0, 8).mapToObj((i) -> "late " + i).toArray(String[]::new);
		try (AutoCloseable held = instance.relay().holdPublishing()) {
			for (int i = 0; i < expected.length; i++) {
				outcomes.add(publishInLine(SseEvent.of(expected[i]).withId("late-" + i), i + 1));
			}
			assertThat(redis.command("CLIENT", "PAUSE", Long.toString(TIMEOUT.toMillis() + 1500), "WRITE"))
				.isEqualTo("+OK");
		}

		for (CompletableFuture<Object> outcome : outcomes) {
			assertThat(outcome.get(10, TimeUnit.SECONDS)).as("outcome")
				.isInstanceOfSatisfying(SseRelayOutcomeUnknownException.class,
						(unknown) -> assertThat(unknown).hasMessageContaining("127.0.0.1:" + redis.port())
							.hasMessageContaining("may have been published")
							.hasMessageContaining("same id is safe"));
		}
		assertThat(client.awaitData(expected)).as("appended once Redis went on")
			.containsExactly(concat("ready", expected));
	}

	@Test
	void eventStillInLineAtItsDeadlineIsNotPublishedAndNeverSent() throws Exception {
		SseTestClient client = connected();
		CompletableFuture<Object> outcome;
		try (AutoCloseable held = instance.relay().holdPublishing()) {
			outcome = publishInLine(SseEvent.of("too late").withId("too-late"), 1);
			assertThat(outcome.get(10, TimeUnit.SECONDS)).as("outcome")
				.isInstanceOfSatisfying(SseRelayNotPublishedException.class,
						(notPublished) -> assertThat(notPublished).hasMessageContaining("was not sent"));
			assertThat(instance.relay().publishesWaiting()).as("left the line").isZero();
		}

		instance.broadcaster().broadcast("after");
		assertThat(client.awaitData("after")).containsExactly("ready", "after");
	}

	@Test
	void redisDownFailsEveryEventInLineAsNotPublishedAtOnce() throws Exception {
		SseTestClient client = connected();
		redis.kill();
		await().atMost(Duration.ofSeconds(10)).until(() -> !instance.relay().status().readerConnected());

		List<CompletableFuture<Object>> outcomes = new ArrayList<>();
		long released;
		try (AutoCloseable held = instance.relay().holdPublishing()) {
			for (int i = 0; i < 16; i++) {
				outcomes.add(publishInLine(SseEvent.of("during " + i).withId("during-" + i), i + 1));
			}
			released = System.nanoTime();
		}

		for (CompletableFuture<Object> outcome : outcomes) {
			assertThat(outcome.get(10, TimeUnit.SECONDS)).as("outcome")
				.isInstanceOfSatisfying(SseRelayNotPublishedException.class,
						(notPublished) -> assertThat(notPublished)
							.hasMessageStartingWith("Redis is unreachable at 127.0.0.1:" + redis.port() + " (")
							.hasMessageEndingWith("the event was not published"));
		}
		assertThat(Duration.ofNanos(System.nanoTime() - released)).as("time for all to fail")
			.isLessThan(TIMEOUT.dividedBy(2));
		redis.restart();
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
			instance.broadcaster().broadcast("after");
			return true;
		});
		assertThat(client.awaitData("after")).as("none of them appended").doesNotContain("during 0", "during 15");
	}

	/**
	 * Publish on a thread of its own, and wait until the event waits in line at
	 * {@code position}: so that the line's order is known.
	 * @return the number of recipients, or what was thrown
	 */
	private static CompletableFuture<Object> publishInLine(SseEvent event, int position) {
		CompletableFuture<Object> outcome = new CompletableFuture<>();
		Thread.ofPlatform().start(() -> {
			try {
				outcome.complete(instance.broadcaster().broadcast(event));
			}
			catch (RuntimeException ex) {
				outcome.complete(ex);
			}
		});
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(1))
			.until(() -> instance.relay().publishesWaiting() == position);
		return outcome;
	}

	/** The publish script is the only one that trims the ids: once per call. */
	private static long publishScriptCalls() {
		return calls("zremrangebyscore");
	}

	/** Calls of {@code command} since the statistics were reset, by scripts or not. */
	private static long calls(String command) {
		String stats = redis.commands((commands) -> commands.info("commandstats"));
		return stats.lines()
			.filter((line) -> line.startsWith("cmdstat_" + command + ":"))
			.map((line) -> line.replaceAll("^[^:]*:calls=([0-9]+),.*", "$1"))
			.mapToLong(Long::parseLong)
			.sum();
	}

	private static long sequenceOf(ReceivedEvent event) {
		return Long.parseLong(event.id().substring(event.id().lastIndexOf('-') + 1));
	}

	private static String[] concat(String first, String... rest) {
		String[] all = new String[rest.length + 1];
		all[0] = first;
		System.arraycopy(rest, 0, all, 1, rest.length);
		return all;
	}

	private static SseTestClient connected() {
		SseTestClient client = instance.connect("/sse");
		await().atMost(Duration.ofSeconds(10)).until(() -> instance.broadcaster().clientCount() == 1);
		instance.broadcaster().broadcast("ready");
		client.awaitData("ready");
		return client;
	}

}
