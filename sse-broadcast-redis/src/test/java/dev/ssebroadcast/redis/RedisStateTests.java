package dev.ssebroadcast.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an instance does when what Redis holds was edited or damaged, not written by the
 * relay: it is treated as lost state (clients get {@code sse-reset}, a new epoch starts)
 * and delivery resumes by itself; never silent loss, a wedged relay, or bytes on the
 * wire that the application did not send.
 */
class RedisStateTests {

	private static final String POSITION = "{state}:position";

	private static final String EVENTS = "{state}:events";

	private static RedisServer redis;

	private static Instance instance;

	@BeforeAll
	static void startInstance() {
		redis = RedisServer.startPersistent();
		instance = Instance.start(redis, "state");
	}

	@AfterAll
	static void stopInstance() {
		instance.close();
		redis.close();
	}

	@AfterEach
	void closeClients() {
		instance.closeClientsAndAwaitGone();
	}

	@Test
	void publishAnsweredWhileTheIdleReaderChecksThePositionIsNotTakenForLostState() {
		SseTestClient client = connected();
		publish("before");
		client.awaitData("before");
		long resets = instance.relay().status().resets();
		AtomicBoolean published = new AtomicBoolean();
		// Between the idle reader's reading of the position and its check, this instance
		// publishes and is answered: Redis holds more than the reader read, and lost nothing.
		instance.relay().afterPositionRead(() -> {
			if (published.compareAndSet(false, true)) {
				publish("during the check");
			}
		});
		try {
			await().atMost(Duration.ofSeconds(10)).untilTrue(published);
			publish("after");
			assertThat(client.awaitData("during the check", "after")).containsExactly("before", "during the check",
					"after");
			assertThat(instance.relay().status().resets()).as("resets").isEqualTo(resets);
		}
		finally {
			instance.relay().afterPositionRead(() -> {
			});
		}
	}

	@Test
	void streamIdFromTheFutureThenTheStreamDeletedResetsClientsAndDeliveryResumes() {
		SseTestClient client = connected();
		publish("before");
		client.awaitData("before");
		assertThat(redis.command("XADD", EVENTS, "9999999999999-0", "x", "not an event")).startsWith("$");
		await().atMost(Duration.ofSeconds(5)).until(() -> instance.relay().status().lastDelivered() != null);

		assertThat(redis.command("DEL", EVENTS)).isEqualTo(":1");
		publish("after the deletion");

		await("delivery to resume").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
			.until(() -> publish("probe") && client.data().contains("probe"));
		assertResetBeforeDeliveryResumed(client.events(), "probe");
	}

	@Test
	void negativeSequenceStartsANewEpochAndResetsClients() {
		SseTestClient client = connected();
		publish("before");
		client.awaitData("before");
		redis.command("HSET", POSITION, "sequence", "-5");

		publish("after");

		List<ReceivedEvent> events = awaitData(client, "after");
		assertResetBeforeDeliveryResumed(events, "after");
		assertThat(events.get(events.size() - 1).id()).as("the first event of a new epoch").endsWith("-1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "1.5", "9223372036854775807", "99999999999999999999" })
	void sequenceThatIsNotACountStartsANewEpochRatherThanFailEveryPublish(String sequence) {
		SseTestClient client = connected();
		publish("before");
		client.awaitData("before");
		redis.command("HSET", POSITION, "sequence", sequence);

		publish("after");

		List<ReceivedEvent> events = awaitData(client, "after");
		assertResetBeforeDeliveryResumed(events, "after");
		assertThat(instance.relayHealth()).isEqualTo(Status.UP);
	}

	@ParameterizedTest
	@ValueSource(strings = { "not a number", "evil\ndata: injected", "0123456789abcdefXYZ", "" })
	void epochThatIsNotLettersAndDigitsNeverReachesEventIds(String epoch) {
		SseTestClient client = connected();
		redis.command("HSET", POSITION, "epoch", epoch);

		publish("after");

		List<ReceivedEvent> events = awaitData(client, "after");
		assertThat(events).extracting(ReceivedEvent::data).doesNotContain("injected");
		assertThat(events.get(events.size() - 1).id()).matches("[0-9a-z]{1,16}-1");
	}

	@Test
	void positionKeyOfAnotherTypeIsReplacedRatherThanFailEveryPublish() {
		SseTestClient client = connected();
		redis.command("DEL", POSITION);
		redis.command("SET", POSITION, "a string");

		publish("after");

		assertThat(awaitData(client, "after")).extracting(ReceivedEvent::data).endsWith("after");
	}

	@Test
	void entryThatIsNotAnEventIsSkippedAndDeliveryGoesOn() {
		SseTestClient client = connected();
		publish("before");
		client.awaitData("before");
		redis.command("XADD", EVENTS, "*", "e", "abc", "s", "not a number", "f", "data: injected\n\n");

		publish("after");

		assertThat(client.awaitData("before", "after")).containsExactly("before", "after");
	}

	@Test
	void instanceStartedWhileRedisIsDownWithALastEntryThatIsNotAnEventJoinsOnceItIsUp() {
		redis.command("XADD", EVENTS, "*", "x", "not an event");
		redis.kill();
		try (Instance late = Instance.start(redis, "state")) {
			SseTestClient onLate = late.connect("/sse");
			redis.restart();
			await().atMost(Duration.ofSeconds(10)).until(() -> late.relayHealth() == Status.UP);
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> publish("to the late one"));

			assertThat(onLate.awaitData("to the late one")).endsWith("to the late one");
		}
	}

	@Test
	void acknowledgedEventRedisLostWhileItsNumberWentToAnotherIsFoundByTheReaderWhichResetsClients()
			throws Exception {
		SseTestClient client = connected();
		publish("before");
		client.awaitData("before");
		loseAnAcknowledgedEventWhileTheReaderIsHeld(() -> {
		});

		await("an sse-reset after the event that took a lost event's number").atMost(Duration.ofSeconds(10))
			.until(() -> resetAfter(client.events(), "another instance's"));
		publish("after");
		assertThat(awaitData(client, "after")).extracting(ReceivedEvent::data).doesNotContain("lost");
	}

	@Test
	void acknowledgedEventRedisLostWhileItsNumberWentToAnotherStartsANewEpochAtTheNextPublish() throws Exception {
		SseTestClient client = connected();
		publish("before");
		client.awaitData("before");
		loseAnAcknowledgedEventWhileTheReaderIsHeld(() -> publish("after"));

		List<ReceivedEvent> events = awaitData(client, "after");
		assertResetBeforeDeliveryResumed(events, "after");
		String before = events.get(events.stream().map(ReceivedEvent::data).toList().indexOf("before")).id();
		String after = events.get(events.size() - 1).id();
		assertThat(after).as("the first event of a new epoch").endsWith("-1");
		assertThat(epoch(after)).isNotEqualTo(epoch(before));
	}

	/**
	 * Publish {@code lost} while the reader is held, then do to it what a failover to a
	 * replica that had not copied it does: the entry is gone and another instance's event
	 * takes its number. {@code andThen} runs before the reader goes on.
	 */
	private static void loseAnAcknowledgedEventWhileTheReaderIsHeld(Runnable andThen) throws Exception {
		try (AutoCloseable paused = instance.relay().pauseReader()) {
			// The reader may be waiting in a read that this publish answers; it then holds.
			publish("read before the pause");
			publish("lost");
			loseLastEntryAndGiveItsNumberTo("another instance's");
			andThen.run();
		}
	}

	private static void loseLastEntryAndGiveItsNumberTo(String data) {
		String lose = """
				local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
				redis.call('XDEL', KEYS[1], last[1])
				local position = redis.call('HMGET', KEYS[2], 'epoch', 'sequence')
				local frame = 'data: ' .. ARGV[2] .. '\\n\\n'
				return redis.call('XADD', KEYS[1], '*', 'e', position[1], 's', position[2], 'n', 1,
					'v', '0' .. ARGV[1] .. ':0:-' .. #frame .. ':' .. frame)
				""";
		String micros = Long.toString(StreamReader.micros(Instant.now()));
		assertThat(redis.command("EVAL", lose, "2", EVENTS, POSITION, micros, data)).startsWith("$");
	}

	private static boolean resetAfter(List<ReceivedEvent> events, String data) {
		int at = events.stream().map(ReceivedEvent::data).toList().indexOf(data);
		return at >= 0 && events.subList(at, events.size())
			.stream()
			.anyMatch((event) -> SseBroadcaster.RESET_EVENT.equals(event.event()));
	}

	private static String epoch(String id) {
		return id.substring(0, id.lastIndexOf('-'));
	}

	private static SseTestClient connected() {
		SseTestClient client = instance.connect("/sse");
		await().atMost(Duration.ofSeconds(10)).until(() -> instance.broadcaster().clientCount() == 1);
		return client;
	}

	private static List<ReceivedEvent> awaitData(SseTestClient client, String data) {
		await().atMost(Duration.ofSeconds(10)).until(() -> client.data().contains(data));
		return client.events();
	}

	/** An {@code sse-reset} reached the client before {@code data}, and nothing after it. */
	private static void assertResetBeforeDeliveryResumed(List<ReceivedEvent> events, String data) {
		List<String> names = events.stream().map(ReceivedEvent::event).toList();
		int reset = names.lastIndexOf(SseBroadcaster.RESET_EVENT);
		int resumed = events.stream().map(ReceivedEvent::data).toList().indexOf(data);
		assertThat(reset).as("an sse-reset in %s", events).isNotNegative().isLessThan(resumed);
	}

	private static boolean publish(String data) {
		instance.broadcaster().broadcast(data);
		return true;
	}

}
