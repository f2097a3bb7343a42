package dev.ssebroadcast.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.redis.WireFormat.Appended;
import dev.ssebroadcast.relay.Position;
import dev.ssebroadcast.relay.RelayedEvent.Audience;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
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
	void publishReplyNumbersTheAppendedEventsOfTheEntryInOrderAndNoneOfADuplicate() {
		List<Appended> events = format.published(List.of(bytes(""), bytes("abc"), 7L, bytes("5-0"), bytes("101")), 3)
			.events();
		assertThat(events).extracting(Appended::position)
			.containsExactly(new Position("abc", 7), new Position("abc", 0), new Position("abc", 8));
		assertThat(events).extracting(Appended::streamId).containsExactly("5-0", "", "5-0");
		assertThat(format.published(List.of(bytes(""), bytes("abc"), 0L, bytes(""), bytes("00")), 2).events())
			.allMatch(Appended::isDuplicate);
	}

	@Test
	void publishReplyThatIsNotOfThatScriptForThatBatchIsRejectedWhole() {
		assertThatInvalid(List.of(bytes(""), bytes("abc"), 1L, bytes("5-0"), bytes("1")), 2, "another number of events");
		assertThatInvalid(List.of(bytes(""), bytes("a-b"), 1L, bytes("5-0"), bytes("1")), 1, "no epoch");
		assertThatInvalid(List.of(bytes(""), bytes("abc"), 1L, bytes(""), bytes("1")), 1, "appended without an entry");
		assertThatInvalid(List.of(bytes(""), bytes("abc"), 1L, bytes("5-x")), 1, "an entry that is no stream id");
		assertThatInvalid(List.of(bytes(""), bytes("abc"), 0L, bytes("5-0"), bytes("1")), 1, "sequence 0 appended");
		assertThatInvalid(List.of(bytes(""), bytes("abc"), 3L, bytes("5-0"), bytes("0")), 1, "a duplicate numbered");
		assertThatInvalid(List.of(bytes(""), bytes("abc"), 1L, bytes("5-0"), bytes("x")), 1, "a flag of neither");
		assertThatInvalid(List.of(bytes(""), bytes("abc"), -4L, bytes("5-0"), bytes("1")), 1, "a negative sequence");
	}

	@Test
	void entryOfSeveralEventsIsReadAsEventsNumberedFromItsFirst() {
		List<StreamEntry> events = format.events(entry("e", "abc", "s", "41", "n", "3", "v",
				"01733:0:-9:data: a\n\n" + "21734:5:alice3:id19:data: b\n\n" + "51735:2:42-0:"));
		assertThat(events).extracting(StreamEntry::position)
			.containsExactly(new Position("abc", 41), new Position("abc", 42), new Position("abc", 43));
		assertThat(events.get(0)).extracting(StreamEntry::audience, StreamEntry::target, StreamEntry::id,
				StreamEntry::publishedMicros)
			.containsExactly(Audience.EVERYONE, "", null, 1733L);
		assertThat(events.get(1)).extracting(StreamEntry::target, StreamEntry::id).containsExactly("alice", "id1");
		assertThat(new String(events.get(1).frame(), StandardCharsets.UTF_8)).isEqualTo("data: b\n\n");
		assertThat(events).extracting(StreamEntry::streamId).containsOnly("5-0");
	}

	@Test
	void entryThatIsNotEventsIsRejectedWithWhatIsWrong() {
		String one = "01733:0:-9:data: a\n\n";
		assertThatEntryInvalid("has epoch (none)", "s", "1", "n", "1", "v", one);
		assertThatEntryInvalid("has sequence 0", "e", "abc", "s", "0", "n", "1", "v", one);
		assertThatEntryInvalid("holds '0' events", "e", "abc", "s", "1", "n", "0", "v", one);
		assertThatEntryInvalid("has no events (field v)", "e", "abc", "s", "1", "n", "1");
		assertThatEntryInvalid("is missing", "e", "abc", "s", "1", "n", "2", "v", one);
		assertThatEntryInvalid("holds more than the 1 events", "e", "abc", "s", "1", "n", "1", "v", one + one);
		assertThatEntryInvalid("has audience byte 57", "e", "abc", "s", "1", "n", "1", "v", "9" + one.substring(1));
		assertThatEntryInvalid("no publishing time", "e", "abc", "s", "1", "n", "1", "v", "0x1:0:-9:data: a\n\n");
		assertThatEntryInvalid("frame of 80 bytes, more than is left", "e", "abc", "s", "1", "n", "1", "v",
				"01733:0:-80:data: a\n\n");
		assertThatEntryInvalid("no frame of lines", "e", "abc", "s", "1", "n", "1", "v", "01733:0:-8:data: a\n");
		assertThatEntryInvalid("an id with a line break", "e", "abc", "s", "1", "n", "1", "v",
				"01733:0:2:a\n9:data: a\n\n");
		assertThatEntryInvalid("beyond", "e", "abc", "s", "999999999999999999", "n", "2", "v", one + one);
	}

	private static void assertThatInvalid(List<Object> reply, int events, String what) {
		assertThatExceptionOfType(WireFormat.InvalidStateException.class).as(what)
			.isThrownBy(() -> format.published(reply, events))
			.withMessageStartingWith("the publish script answered [");
	}

	private static void assertThatEntryInvalid(String message, String... fields) {
		assertThatExceptionOfType(WireFormat.InvalidStateException.class).as(message)
			.isThrownBy(() -> format.events(entry(fields)))
			.withMessageContaining(message);
	}

	private static StreamMessage<byte[], byte[]> entry(String... fields) {
		Map<byte[], byte[]> body = new LinkedHashMap<>();
		for (int i = 0; i < fields.length; i += 2) {
			body.put(WireFormat.bytes(fields[i]), WireFormat.bytes(fields[i + 1]));
		}
		return new StreamMessage<>(format.eventsKey(), "5-0", body);
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
