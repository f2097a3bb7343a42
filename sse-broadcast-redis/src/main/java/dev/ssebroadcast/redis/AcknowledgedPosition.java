package dev.ssebroadcast.redis;

import java.util.concurrent.atomic.AtomicReference;

import dev.ssebroadcast.relay.Position;
import org.jspecify.annotations.Nullable;

/**
 * The highest position Redis acknowledged to this instance's publishes. Redis may lose
 * acknowledged writes (a failover to a replica that had not copied them yet) before
 * any reader read them; only the instance that was told of them can then see that Redis
 * went back, and start a new epoch so that every client is reset rather than handed a
 * gap, and no number is given out twice.
 */
final class AcknowledgedPosition {

	private final AtomicReference<@Nullable Position> highest = new AtomicReference<>();

	void acknowledged(Position position) {
		this.highest.accumulateAndGet(position,
				(current, next) -> (current != null && current.epoch().equals(next.epoch())
						&& current.sequence() >= next.sequence()) ? current : next);
	}

	/** The highest position acknowledged so far, or {@code null} if none. */
	@Nullable Position highest() {
		return this.highest.get();
	}

	/**
	 * The furthest that Redis is known to have reached: {@code delivered}, or further in
	 * its epoch if this instance's publishes were acknowledged beyond it.
	 */
	@Nullable Position reached(@Nullable Position delivered) {
		Position highest = this.highest.get();
		if (delivered == null || highest == null || !highest.epoch().equals(delivered.epoch())
				|| highest.sequence() <= delivered.sequence()) {
			return delivered;
		}
		return highest;
	}

}
