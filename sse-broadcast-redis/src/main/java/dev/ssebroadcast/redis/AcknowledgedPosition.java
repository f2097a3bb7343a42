package dev.ssebroadcast.redis;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The highest position Redis acknowledged to this instance's publishes. Redis may lose
 * acknowledged writes (a failover to a replica that had not copied them yet) before
 * any reader read them; only the instance that was told of them can then see that Redis
 * went back, and start a new epoch so that every client is reset rather than handed a
 * gap, and no number is given out twice.
 */
final class AcknowledgedPosition {

	private final AtomicReference<Position> highest = new AtomicReference<>(new Position("", 0));

	void acknowledged(String epoch, long sequence) {
		this.highest.accumulateAndGet(new Position(epoch, sequence),
				(current, next) -> (current.epoch().equals(next.epoch()) && current.sequence() >= next.sequence())
						? current : next);
	}

	/** The highest position acknowledged so far: an empty epoch and 0 if none. */
	Position highest() {
		return this.highest.get();
	}

	/** The highest sequence number acknowledged in {@code epoch}, or 0 if none. */
	long sequenceIn(String epoch) {
		Position highest = this.highest.get();
		return epoch.equals(highest.epoch()) ? highest.sequence() : 0;
	}

	/**
	 * An epoch and a sequence number in it.
	 *
	 * @param epoch the epoch
	 * @param sequence the sequence number
	 */
	record Position(String epoch, long sequence) {

	}

}
