package dev.ssebroadcast;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broadcaster's running totals, updated from publishing and streaming threads
 * without contention.
 */
final class Counters {

	final LongAdder published = new LongAdder();

	final LongAdder delivered = new LongAdder();

	final LongAdder dropped = new LongAdder();

	// Sampled by each stream as it drains its queue, and set to the capacity by an
	// overflow: off the publishers' path except when a queue is full.
	final LongAccumulator deepestQueue = new LongAccumulator(Math::max, 0);

	private final Map<DisconnectReason, LongAdder> disconnects = new EnumMap<>(DisconnectReason.class);

	Counters() {
		for (DisconnectReason reason : DisconnectReason.values()) {
			this.disconnects.put(reason, new LongAdder());
		}
	}

	void disconnected(DisconnectReason reason) {
		this.disconnects.get(reason).increment();
	}

	SseStatistics snapshot(int clients) {
		Map<DisconnectReason, Long> disconnects = new EnumMap<>(DisconnectReason.class);
		this.disconnects.forEach((reason, count) -> disconnects.put(reason, count.sum()));
		return new SseStatistics(clients, this.published.sum(), this.delivered.sum(), this.dropped.sum(), disconnects,
				(int) this.deepestQueue.get());
	}

}
