package dev.ssebroadcast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ssebroadcast.relay.Position;
import org.jspecify.annotations.Nullable;

/**
 * The recent events of each channel (each topic, and what goes to everyone), bounded by
 * count and by age, from which a reconnecting client is sent what it missed.
 * <p>
 * What all channels keep is bounded too, in bytes: the count bounds each channel, but
 * events published to ever new topics would otherwise fill the heap within the maximum
 * age. Past the bound, the oldest events of all are evicted first. An event costs its
 * encoded bytes, which the history shares with the clients' queues, and a fixed
 * allowance for what keeping it takes besides.
 * <p>
 * A client's {@code Last-Event-ID} is resolved to a position only when that is
 * unambiguous: a generated id names its epoch and sequence, and an application's id
 * counts only while exactly one kept event has it. Anything else (an id from another
 * epoch, a repeated id, an id that was never kept) cannot be replayed, and the client is
 * told so: a replay never has a silent gap.
 * <p>
 * Not thread-safe: the broadcaster calls it while holding the lock that orders events,
 * which is what makes a replay line up exactly with the live events that follow it.
 */
final class History {

	/** The channel of events broadcast to everyone; no topic has an empty name. */
	static final String EVERYONE = "";

	/**
	 * What keeping an event takes besides its bytes, about: its record, its id and the
	 * entries that index it, and its share of its channel's structures.
	 */
	static final int KEEPING_COST = 512;

	private final int size;

	private final long maxAgeNanos;

	private final long maxBytes;

	private final Map<String, Channel> channels = new HashMap<>();

	// Each channel that keeps events, by the sequence of its oldest: the first is the
	// channel of the oldest event of all.
	private final TreeMap<Long, Channel> byOldest = new TreeMap<>();

	private long bytes;

	private final Map<String, KeptId> ids = new HashMap<>();

	private @Nullable Position last;

	// Events up to this sequence may have been lost to a client: those of dropped
	// channels, and all of them when the relay lost events.
	private long floor;

	History(int size, long maxAgeNanos, long maxBytes) {
		this.size = size;
		this.maxAgeNanos = maxAgeNanos;
		this.maxBytes = maxBytes;
	}

	/**
	 * The id generated for an event without one of its own.
	 */
	static String generatedId(String epoch, long sequence) {
		return new Position(epoch, sequence).id();
	}

	/**
	 * Record that delivery has reached {@code position}, whether or not that event is
	 * kept.
	 */
	void advance(Position position) {
		this.last = position;
	}

	/**
	 * Forget every event: those up to {@code position} may have been lost, and no id
	 * before it can be replayed.
	 */
	void lose(Position position) {
		this.channels.clear();
		this.byOldest.clear();
		this.ids.clear();
		this.bytes = 0;
		this.last = position;
		this.floor = position.sequence();
	}

	void append(String channel, EncodedEvent event) {
		if (this.size == 0 || event.id() == null) {
			return;
		}
		Channel kept = this.channels.computeIfAbsent(channel, Channel::new);
		evictExpired(kept, event.publishedNanos());
		if (kept.events.size() == this.size) {
			evict(kept);
		}
		if (kept.events.isEmpty()) {
			this.byOldest.put(event.sequence(), kept);
		}
		kept.events.addLast(event);
		this.bytes += cost(event);
		this.ids.computeIfAbsent(event.id(), (key) -> new KeptId()).kept(event.sequence());
		// An event larger than the bound on its own is evicted too: what it does not
		// keep it cannot replay, and a client that missed it is reset.
		while (this.bytes > this.maxBytes) {
			evictOldest();
		}
	}

	/**
	 * Drop what is older than the maximum age, and the channels left with nothing, so
	 * that idle topics let go of their events and of themselves.
	 */
	void expire(long nowNanos) {
		Iterator<Channel> channels = this.channels.values().iterator();
		while (channels.hasNext()) {
			Channel channel = channels.next();
			evictExpired(channel, nowNanos);
			if (channel.events.isEmpty()) {
				this.floor = Math.max(this.floor, channel.lastEvicted);
				channels.remove();
			}
		}
	}

	/**
	 * The events of {@code channels} published after the one with id
	 * {@code lastEventId}, in order.
	 * @return the events, or {@code null} if some of them are no longer kept or the id
	 * cannot be resolved to one position
	 */
	@Nullable List<EncodedEvent> after(String lastEventId, Collection<String> channels, long nowNanos) {
		long lastSeen = resolve(lastEventId);
		if (lastSeen < this.floor) {
			return null;
		}
		List<EncodedEvent> missed = new ArrayList<>();
		for (String name : channels) {
			Channel channel = this.channels.get(name);
			if (channel == null) {
				continue;
			}
			evictExpired(channel, nowNanos);
			if (channel.lastEvicted > lastSeen) {
				return null;
			}
			for (EncodedEvent event : channel.events) {
				if (event.sequence() > lastSeen) {
					missed.add(event);
				}
			}
		}
		missed.sort(Comparator.comparingLong(EncodedEvent::sequence));
		return missed;
	}

	/** The most events kept per channel. */
	int size() {
		return this.size;
	}

	int channelCount() {
		return this.channels.size();
	}

	/** What the kept events cost, in bytes, as counted against the bound. */
	long bytes() {
		return this.bytes;
	}

	/** The sequence {@code id} names, or -1 if it names no single position. */
	private long resolve(String id) {
		KeptId kept = this.ids.get(id);
		if (kept != null) {
			return kept.repeated ? -1 : kept.sequence;
		}
		Position last = this.last;
		long sequence = (last != null) ? last.sequenceOf(id) : -1;
		return (last != null && sequence <= last.sequence()) ? sequence : -1;
	}

	private void evictExpired(Channel channel, long nowNanos) {
		while (!channel.events.isEmpty() && nowNanos - channel.events.peekFirst().publishedNanos() > this.maxAgeNanos) {
			evict(channel);
		}
	}

	/**
	 * Evict the oldest event of all, and forget its channel if that leaves it empty, as
	 * {@link #expire} would.
	 */
	private void evictOldest() {
		Channel channel = this.byOldest.firstEntry().getValue();
		evict(channel);
		if (channel.events.isEmpty()) {
			this.floor = Math.max(this.floor, channel.lastEvicted);
			this.channels.remove(channel.name);
		}
	}

	private void evict(Channel channel) {
		EncodedEvent evicted = channel.events.removeFirst();
		channel.lastEvicted = evicted.sequence();
		this.bytes -= cost(evicted);
		this.byOldest.remove(evicted.sequence());
		if (!channel.events.isEmpty()) {
			this.byOldest.put(channel.events.peekFirst().sequence(), channel);
		}
		KeptId kept = this.ids.get(evicted.id());
		if (kept != null && kept.evicted()) {
			this.ids.remove(evicted.id());
		}
	}

	private static long cost(EncodedEvent event) {
		return event.frame().length + KEEPING_COST;
	}

	/** The kept events of one channel. */
	private static final class Channel {

		final String name;

		// Starts small: there may be many topics, each keeping a single event.
		final Deque<EncodedEvent> events = new ArrayDeque<>(1);

		long lastEvicted = Long.MIN_VALUE;

		Channel(String name) {
			this.name = name;
		}

	}

	/**
	 * How many kept events carry one id. An id seen twice stays ambiguous until every
	 * event with it is gone: resolving it to the later one could skip what came after
	 * the earlier one.
	 */
	private static final class KeptId {

		long sequence;

		int count;

		boolean repeated;

		void kept(long sequence) {
			this.sequence = sequence;
			this.repeated |= (++this.count > 1);
		}

		boolean evicted() {
			return --this.count == 0;
		}

	}

}
