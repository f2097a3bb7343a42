package dev.ssebroadcast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The recent events of each channel (each topic, and what goes to everyone), bounded by
 * count and by age, from which a reconnecting client is sent what it missed.
 * <p>
 * Not thread-safe: the broadcaster calls it while holding the lock that orders events,
 * which is what makes a replay line up exactly with the live events that follow it.
 */
final class History {

	/** The channel of events broadcast to everyone; no topic has an empty name. */
	static final String EVERYONE = "";

	private final int size;

	private final long maxAgeNanos;

	private final Map<String, Deque<EncodedEvent>> channels = new HashMap<>();

	private final Map<String, Long> lastEvictedSequence = new HashMap<>();

	private final Map<String, Long> sequenceById = new HashMap<>();

	History(int size, long maxAgeNanos) {
		this.size = size;
		this.maxAgeNanos = maxAgeNanos;
	}

	void append(String channel, EncodedEvent event) {
		if (this.size == 0 || event.id() == null) {
			return;
		}
		Deque<EncodedEvent> events = this.channels.computeIfAbsent(channel, (key) -> new ArrayDeque<>());
		evictExpired(channel, events, event.publishedNanos());
		if (events.size() == this.size) {
			evict(channel, events);
		}
		events.addLast(event);
		this.sequenceById.put(event.id(), event.sequence());
	}

	/**
	 * The events of {@code channels} published after the one with id
	 * {@code lastEventId}, in order.
	 * @return the events, or {@code null} if some of them are no longer kept or the id
	 * is unknown
	 */
	@Nullable List<EncodedEvent> after(String lastEventId, Collection<String> channels, long nowNanos) {
		Long lastSequence = this.sequenceById.get(lastEventId);
		if (lastSequence == null) {
			return null;
		}
		List<EncodedEvent> missed = new ArrayList<>();
		for (String channel : channels) {
			Deque<EncodedEvent> events = this.channels.get(channel);
			if (events != null) {
				evictExpired(channel, events, nowNanos);
			}
			if (this.lastEvictedSequence.getOrDefault(channel, Long.MIN_VALUE) > lastSequence) {
				return null;
			}
			if (events != null) {
				for (EncodedEvent event : events) {
					if (event.sequence() > lastSequence) {
						missed.add(event);
					}
				}
			}
		}
		missed.sort(Comparator.comparingLong(EncodedEvent::sequence));
		return missed;
	}

	private void evictExpired(String channel, Deque<EncodedEvent> events, long nowNanos) {
		while (!events.isEmpty() && nowNanos - events.peekFirst().publishedNanos() > this.maxAgeNanos) {
			evict(channel, events);
		}
	}

	private void evict(String channel, Deque<EncodedEvent> events) {
		EncodedEvent evicted = events.removeFirst();
		this.lastEvictedSequence.put(channel, evicted.sequence());
		this.sequenceById.remove(evicted.id(), evicted.sequence());
	}

}
