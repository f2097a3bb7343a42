package dev.ssebroadcast;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTests {

	private static final long NOW = 1_000_000_000_000L;

	private final History history = new History(3, Duration.ofSeconds(10).toNanos());

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

	private void append(String channel, long sequence, long publishedNanos) {
		this.history.append(channel, new EncodedEvent(sequence, Long.toString(sequence), new byte[0], publishedNanos));
	}

	private static List<Long> sequences(List<EncodedEvent> events) {
		return events.stream().map(EncodedEvent::sequence).toList();
	}

}
