package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.List;

import dev.ssebroadcast.redis.WireFormat.Appended;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The stream read bounded by bytes as well as count, against a real Redis, and the
 * checks on what is read back.
 */
class WireFormatTests {

	private static final WireFormat format = new WireFormat("format");

	private static final String EVENTS = "{format}:events";

	private static DirectRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = new DirectRedis();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void readStopsOnceTheEntriesReachTheByteBound() throws Exception {
		redis.command("DEL", EVENTS);
		String value = "x".repeat(100_000);
		for (int i = 0; i < 20; i++) {
			redis.command("XADD", EVENTS, "*", "f", value);
		}
		try (RelayConnection connection = redis.connection()) {
			List<StreamMessage<byte[], byte[]>> first = read(connection, WireFormat.START, 500, 250_000);
			assertThat(first).as("entries of 100 KB up to 250 KB").hasSize(3);

			List<StreamMessage<byte[], byte[]>> next = read(connection, first.get(2).getId(), 500, 250_000);
			assertThat(next).hasSize(3);
			assertThat(WireFormat.compareStreamIds(next.get(0).getId(), first.get(2).getId())).isPositive();
		}
	}

	@Test
	void readReturnsOneEntryLargerThanTheBoundSoThatItMakesProgress() throws Exception {
		redis.command("DEL", EVENTS);
		redis.command("XADD", EVENTS, "*", "f", "x".repeat(100_000));
		redis.command("XADD", EVENTS, "*", "f", "small");
		try (RelayConnection connection = redis.connection()) {
			assertThat(read(connection, WireFormat.START, 500, 1000)).hasSize(1);
		}
	}

	@Test
	void readStopsAtTheCount() throws Exception {
		redis.command("DEL", EVENTS);
		for (int i = 0; i < 40; i++) {
			redis.command("XADD", EVENTS, "*", "f", "small");
		}
		try (RelayConnection connection = redis.connection()) {
			assertThat(read(connection, WireFormat.START, 25, 1_000_000)).hasSize(25);
		}
	}

	@Test
	void streamIdsCompareAsRedisOrdersThem() {
		assertThat(WireFormat.compareStreamIds("10-0", "9-5")).isPositive();
		assertThat(WireFormat.compareStreamIds("9-10", "9-9")).isPositive();
		assertThat(WireFormat.compareStreamIds("9-9", "9-9")).isZero();
		assertThat(WireFormat.compareStreamIds("0-0", "1-0")).isNegative();
	}

	@Test
	void positionReplyThatIsNotAPositionIsRejectedWithWhatWasWrong() {
		assertThatExceptionOfType(WireFormat.InvalidStateException.class)
			.isThrownBy(() -> format.stored(List.of(bytes("a b"), bytes("1"), bytes(""), bytes(""), bytes(""))))
			.withMessageContaining("epoch 'a b'");
		assertThatExceptionOfType(WireFormat.InvalidStateException.class)
			.isThrownBy(() -> format.stored(List.of(bytes("abc"), bytes("-1"), bytes(""), bytes(""), bytes(""))))
			.withMessageContaining("sequence '-1'");
	}

	@Test
	void publishReplyMustNameTheEntryOfEachEventAppendedAndNoneOfADuplicate() {
		List<@Nullable Appended> events = format
			.published(List.of(bytes(""), bytes("abc"), 1L, bytes("5-0"), 0L, bytes("")), 2)
			.events();
		assertThat(events.get(0).streamId()).isEqualTo("5-0");
		assertThat(events.get(1).isDuplicate()).isTrue();
		assertThat(format.published(List.of(bytes(""), bytes("abc"), 1L, bytes("")), 1).events())
			.as("appended without an entry").containsOnlyNulls();
		assertThat(format.published(List.of(bytes(""), bytes("abc"), 1L, bytes("5-x")), 1).events())
			.as("an entry that is no stream id").containsOnlyNulls();
		assertThat(format.published(List.of(bytes(""), bytes("abc"), 0L, bytes("5-0")), 1).events())
			.as("a duplicate with an entry").containsOnlyNulls();
	}

	@Test
	void publishReplyWithOneEventUnreadableStillTellsTheOthersTheirOutcome() {
		List<@Nullable Appended> events = format
			.published(List.of(bytes(""), bytes("abc"), 1L, bytes("5-0"), bytes("x"), bytes("6-0"), 3L, bytes("7-0")),
					3)
			.events();
		assertThat(events.get(0).position().sequence()).isEqualTo(1);
		assertThat(events.get(1)).isNull();
		assertThat(events.get(2).streamId()).isEqualTo("7-0");
	}

	@Test
	void publishReplyForAnotherNumberOfEventsOrWithoutAnEpochIsRejectedWhole() {
		assertThatExceptionOfType(WireFormat.InvalidStateException.class)
			.isThrownBy(() -> format.published(List.of(bytes(""), bytes("abc"), 1L, bytes("5-0")), 2))
			.withMessageContaining("the publish script answered ['', 'abc', 1, '5-0']");
		assertThatExceptionOfType(WireFormat.InvalidStateException.class)
			.isThrownBy(() -> format.published(List.of(bytes(""), bytes("a-b"), 1L, bytes("5-0")), 1));
	}

	private static List<StreamMessage<byte[], byte[]>> read(RelayConnection connection, String after, int count,
			long bytes) throws InterruptedException {
		List<Object> reply = connection.run(WireFormat.READ, ScriptOutputType.MULTI,
				new byte[][] { format.eventsKey() }, WireFormat.readArguments(after, count, bytes),
				Duration.ofSeconds(5));
		return format.entries(reply);
	}

	private static Object bytes(String text) {
		return WireFormat.bytes(text);
	}

}
