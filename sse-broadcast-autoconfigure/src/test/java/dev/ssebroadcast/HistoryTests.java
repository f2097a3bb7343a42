package dev.ssebroadcast;

import java.time.Duration;
import java.util.List;

import dev.ssebroadcast.relay.Position;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTests {

	private static final long NOW = 1_000_000_000_000L;

	private static final String EPOCH = "k3x9az";

	private final History history = new History(3, Duration.ofSeconds(10).toNanos(), Long.MAX_VALUE);

	@Test
	void replaysWhatCameAfterTheIdAcrossChannelsInOrder() {
		append("a", 1, NOW);
		append(History.EVERYONE, 2, NOW);
		append("b", 3, NOW);
		append("a", 4, NOW);

		assertThat(sequences(this.history.after("1", List.of("a", History.EVERYONE), NOW))).containsExactly(2L, 4L);
	}

	@Test
	void nothingMissedIsAnEmptyReplay() {
		append("a", 1, NOW);
		assertThat(this.history.after("1", List.of("a"), NOW)).isEmpty();
	}

	@Test
	void unknownIdCannotBeReplayed() {
		append("a", 1, NOW);
		assertThat(this.history.after("42", List.of("a"), NOW)).isNull();
	}

	@Test
	void evictedEventsCannotBeReplayed() {
		append("a", 1, NOW);
		append("b", 2, NOW);
		for (long sequence = 3; sequence <= 6; sequence++) {
			append("a", sequence, NOW);
		}
		assertThat(this.history.after("2", List.of("a", "b"), NOW)).as("event 3 was evicted").isNull();
		assertThat(sequences(this.history.after("2", List.of("b"), NOW))).isEmpty();
	}

	@Test
	void expiredEventsCannotBeReplayed() {
		append("a", 1, NOW);
		append("a", 2, NOW);
		append("a", 3, NOW + Duration.ofSeconds(5).toNanos());
		append(History.EVERYONE, 4, NOW + Duration.ofSeconds(6).toNanos());
		long later = NOW + Duration.ofSeconds(11).toNanos();
		assertThat(this.history.after("1", List.of("a"), later)).as("event 2 expired").isNull();
		assertThat(sequences(this.history.after("3", List.of("a", History.EVERYONE), later))).containsExactly(4L);
	}

	@Test
	void eventsWithoutIdAreNotKept() {
		this.history.append("a", new EncodedEvent(1, null, new byte[0], NOW));
		append("a", 2, NOW);
		assertThat(sequences(this.history.after("2", List.of("a"), NOW))).isEmpty();
	}

	@Test
	void generatedIdsResolveByTheirPositionEvenOnceEvicted() {
		this.history.advance(new Position(EPOCH, 0));
		appendGenerated("a", 1, NOW);
		appendGenerated("b", 2, NOW);
		for (long sequence = 3; sequence <= 6; sequence++) {
			appendGenerated("b", sequence, NOW);
		}
		assertThat(sequences(this.history.after(History.generatedId(EPOCH, 2), List.of("a"), NOW)))
			.as("event 2 of b is gone, but nothing of a was missed").isEmpty();
	}

	@Test
	void idsFromAnotherEpochCannotBeReplayed() {
		this.history.advance(new Position(EPOCH, 0));
		appendGenerated("a", 1, NOW);
		appendGenerated("a", 2, NOW);
		assertThat(this.history.after(History.generatedId("earlier", 1), List.of("a"), NOW)).isNull();
	}

	@Test
	void idsBeyondTheLastDeliveredCannotBeReplayed() {
		this.history.advance(new Position(EPOCH, 0));
		appendGenerated("a", 1, NOW);
		assertThat(this.history.after(History.generatedId(EPOCH, 2), List.of("a"), NOW)).isNull();
		assertThat(this.history.after(EPOCH + "-x", List.of("a"), NOW)).isNull();
	}

	@Test
	void repeatedApplicationIdCannotBeReplayed() {
		this.history.append("a", new EncodedEvent(1, "order-17", new byte[0], NOW));
		this.history.append("a", new EncodedEvent(2, "order-18", new byte[0], NOW));
		this.history.append("a", new EncodedEvent(3, "order-17", new byte[0], NOW));
		assertThat(this.history.after("order-17", List.of("a"), NOW)).isNull();
		assertThat(sequences(this.history.after("order-18", List.of("a"), NOW))).containsExactly(3L);
	}

	@Test
	void repeatedApplicationIdStaysAmbiguousWhileEitherIsKept() {
		History two = new History(2, Duration.ofSeconds(10).toNanos(), Long.MAX_VALUE);
		two.append("a", new EncodedEvent(1, "same", new byte[0], NOW));
		two.append("a", new EncodedEvent(2, "other", new byte[0], NOW));
		two.append("b", new EncodedEvent(3, "same", new byte[0], NOW));
		two.append("a", new EncodedEvent(4, "next", new byte[0], NOW));
		assertThat(two.after("same", List.of("a", "b"), NOW)).as("the first 'same' is evicted").isNull();
	}

	@Test
	void expiryRunsWithoutNewEventsAndDropsIdleChannels() {
		append("a", 1, NOW);
		append("b", 2, NOW + Duration.ofSeconds(8).toNanos());
		this.history.expire(NOW + Duration.ofSeconds(11).toNanos());
		assertThat(this.history.channelCount()).isEqualTo(1);
		this.history.expire(NOW + Duration.ofSeconds(19).toNanos());
		assertThat(this.history.channelCount()).isZero();
		assertThat(this.history.after("2", List.of("b"), NOW)).as("the id is no longer known").isNull();
	}

	@Test
	void droppedChannelStillResetsThoseWhoMissedItsEvents() {
		this.history.advance(new Position(EPOCH, 0));
		appendGenerated("b", 1, NOW);
		appendGenerated("a", 2, NOW);
		appendGenerated("b", 3, NOW + Duration.ofSeconds(8).toNanos());
		this.history.expire(NOW + Duration.ofSeconds(11).toNanos());
		assertThat(this.history.after(History.generatedId(EPOCH, 1), List.of("a"), NOW))
			.as("event 2 of a expired with its channel").isNull();
		assertThat(sequences(this.history.after(History.generatedId(EPOCH, 2), List.of("b"), NOW)))
			.containsExactly(3L);
	}

	@Test
	void lostEventsResetEveryEarlierId() {
		this.history.advance(new Position(EPOCH, 0));
		appendGenerated("a", 1, NOW);
		appendGenerated("a", 2, NOW);
		this.history.lose(new Position("later", 7));
		assertThat(this.history.after(History.generatedId(EPOCH, 2), List.of("a"), NOW)).isNull();
		assertThat(this.history.after(History.generatedId("later", 7), List.of("a"), NOW)).isEmpty();
	}

	@Test
	void totalBoundEvictsTheOldestEventsOfAllFirst() {
		History bounded = new History(10, Duration.ofSeconds(10).toNanos(), 3 * cost(100));
		bounded.append("a", event(1, 100));
		bounded.append("b", event(2, 100));
		bounded.append("c", event(3, 100));
		bounded.append("a", event(4, 100));
		assertThat(bounded.bytes()).isEqualTo(3 * cost(100));
		assertThat(bounded.after("1", List.of("a"), NOW)).as("event 1 of a was evicted").isNull();
		assertThat(sequences(bounded.after("2", List.of("a", "b", "c"), NOW))).containsExactly(3L, 4L);
	}

	@Test
	void channelsEmptiedByTheTotalBoundAreForgottenAndResetThoseWhoMissedTheirEvents() {
		History bounded = new History(10, Duration.ofSeconds(10).toNanos(), 3 * cost(100));
		bounded.advance(new Position(EPOCH, 0));
		for (long sequence = 1; sequence <= 1000; sequence++) {
			bounded.advance(new Position(EPOCH, sequence));
			bounded.append("topic-" + sequence,
					new EncodedEvent(sequence, History.generatedId(EPOCH, sequence), new byte[100], NOW));
		}
		assertThat(bounded.channelCount()).as("channels kept of 1000 topics").isEqualTo(3);
		assertThat(bounded.bytes()).isEqualTo(3 * cost(100));
		assertThat(bounded.after(History.generatedId(EPOCH, 996), List.of("topic-997"), NOW))
			.as("topic-997's event was evicted with its channel").isNull();
		assertThat(sequences(bounded.after(History.generatedId(EPOCH, 997), List.of("topic-998", "topic-1000"), NOW)))
			.containsExactly(998L, 1000L);
	}

	@Test
	void eventLargerThanTheTotalBoundIsNotKept() {
		History bounded = new History(10, Duration.ofSeconds(10).toNanos(), cost(100));
		bounded.append("a", event(1, 100));
		bounded.append("a", event(2, 101));
		assertThat(bounded.bytes()).isZero();
		assertThat(bounded.channelCount()).isZero();
		assertThat(bounded.after("1", List.of("a"), NOW)).as("event 2 was not kept").isNull();
	}

	@Test
	void evictionForCountOrAgeReleasesItsBytes() {
		History bounded = new History(2, Duration.ofSeconds(10).toNanos(), Long.MAX_VALUE);
		bounded.append("a", event(1, 100));
		bounded.append("a", event(2, 100));
		bounded.append("a", event(3, 100));
		assertThat(bounded.bytes()).isEqualTo(2 * cost(100));
		bounded.expire(NOW + Duration.ofSeconds(11).toNanos());
		assertThat(bounded.bytes()).isZero();
	}

	private static EncodedEvent event(long sequence, int bytes) {
		return new EncodedEvent(sequence, Long.toString(sequence), new byte[bytes], NOW);
	}

	private static long cost(int bytes) {
		return bytes + History.KEEPING_COST;
	}

	private void appendGenerated(String channel, long sequence, long publishedNanos) {
		this.history.advance(new Position(EPOCH, sequence));
		this.history.append(channel,
				new EncodedEvent(sequence, History.generatedId(EPOCH, sequence), new byte[0], publishedNanos));
	}

	private void append(String channel, long sequence, long publishedNanos) {
		this.history.append(channel, new EncodedEvent(sequence, Long.toString(sequence), new byte[0], publishedNanos));
	}

	private static List<Long> sequences(List<EncodedEvent> events) {
		return events.stream().map(EncodedEvent::sequence).toList();
	}

}
