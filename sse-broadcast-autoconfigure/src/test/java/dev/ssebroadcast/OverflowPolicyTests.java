package dev.ssebroadcast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a stalled client loses under each policy, while a reading client loses nothing.
 */
class OverflowPolicyTests {

	private final SseBroadcaster broadcaster = SseBroadcaster.builder()
		.clientQueueCapacity(3)
		.overflow("latest", OverflowPolicy.DROP_OLDEST)
		.overflow("all", OverflowPolicy.DROP_NEWEST)
		.build();

	@Test
	void dropOldestKeepsTheNewestEvents() {
		SseClient stalled = this.broadcaster.connect(SseSubscription.everyone().withOverflow(OverflowPolicy.DROP_OLDEST),
				null);
		Stream reader = Stream.of(this.broadcaster.connect());

		publishWhile(reader, "1", "2", "3", "4", "5");

		assertThat(stalled.isOpen()).isTrue();
		assertThat(stalled.dropped()).isEqualTo(2);
		assertThat(this.broadcaster.statistics().dropped()).isEqualTo(2);
		assertThat(Stream.of(stalled).awaitData(3)).containsExactly("3", "4", "5");
	}

	@Test
	void dropNewestKeepsTheQueuedEvents() {
		SseClient stalled = this.broadcaster.connect(SseSubscription.everyone().withOverflow(OverflowPolicy.DROP_NEWEST),
				null);
		Stream reader = Stream.of(this.broadcaster.connect());

		publishWhile(reader, "1", "2", "3", "4", "5");

		assertThat(stalled.isOpen()).isTrue();
		assertThat(stalled.dropped()).isEqualTo(2);
		assertThat(this.broadcaster.statistics().dropped()).isEqualTo(2);
		assertThat(Stream.of(stalled).awaitData(3)).containsExactly("1", "2", "3");
	}

	@Test
	void disconnectEndsTheStalledClientOnly() {
		SseClient stalled = this.broadcaster.connect();
		Stream reader = Stream.of(this.broadcaster.connect());

		publishWhile(reader, "1", "2", "3", "4", "5");

		assertThat(stalled.isOpen()).isFalse();
		assertThat(stalled.disconnectReason()).isEqualTo(DisconnectReason.OVERFLOW);
		assertThat(this.broadcaster.statistics().disconnects(DisconnectReason.OVERFLOW)).isEqualTo(1);
		assertThat(this.broadcaster.statistics().dropped()).isZero();
	}

	@Test
	void topicPolicyAppliesToItsSubscribers() {
		assertThat(this.broadcaster.connect(SseSubscription.topics(Set.of("latest")), null).overflow())
			.isEqualTo(OverflowPolicy.DROP_OLDEST);
		assertThat(this.broadcaster.connect(SseSubscription.topics(Set.of("other")), null).overflow())
			.isEqualTo(OverflowPolicy.DISCONNECT);
	}

	@Test
	void strictestTopicPolicyWinsAndSubscriptionPolicyOverridesAll() {
		assertThat(this.broadcaster.connect(SseSubscription.topics(Set.of("latest", "all")), null).overflow())
			.isEqualTo(OverflowPolicy.DROP_NEWEST);
		assertThat(this.broadcaster
			.connect(SseSubscription.topics(Set.of("latest", "all")).withOverflow(OverflowPolicy.DISCONNECT), null)
			.overflow()).isEqualTo(OverflowPolicy.DISCONNECT);
	}

	/**
	 * Publish one event at a time, each once the reading client has it: the reader keeps
	 * up, so it loses nothing, whatever the stalled client loses.
	 */
	private void publishWhile(Stream reader, String... data) {
		for (int i = 0; i < data.length; i++) {
			this.broadcaster.broadcast(SseEvent.of(data[i]).withId(data[i]));
			assertThat(reader.awaitData(i + 1)).endsWith(data[i]);
		}
		assertThat(reader.data()).containsExactly(data);
		assertThat(reader.client().isOpen()).isTrue();
	}

	/**
	 * A client streamed into memory by a thread of its own.
	 */
	private record Stream(SseClient client, ByteArrayOutputStream out) {

		static Stream of(SseClient client) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			Thread.ofVirtual().start(() -> client.streamTo(out, () -> {
			}));
			return new Stream(client, out);
		}

		List<String> awaitData(int count) {
			await().atMost(Duration.ofSeconds(5)).until(() -> data().size() >= count);
			return data();
		}

		List<String> data() {
			return this.out.toString(StandardCharsets.UTF_8)
				.lines()
				.filter((line) -> line.startsWith("data: "))
				.map((line) -> line.substring(6))
				.toList();
		}

	}

}
