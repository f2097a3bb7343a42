package dev.ssebroadcast.redis;

import java.util.concurrent.atomic.AtomicReference;

import dev.ssebroadcast.relay.Position;
import org.jspecify.annotations.Nullable;

/**
 * The last event Redis acknowledged to this instance's publishes. Redis may lose
 * acknowledged writes (a failover to a replica that had not copied them yet) before
 * any reader read them, and other instances may then be given the same numbers; only
 * the instance that was told of them can see that Redis no longer holds them (its
 * position went back, or the entry is gone while the stream still reaches back to it),
 * and start a new epoch so that every client is reset rather than handed a gap.
 */
final class AcknowledgedPosition {

	private final AtomicReference<@Nullable Acknowledged> highest = new AtomicReference<>();

	void acknowledged(Position position, String streamId) {
		Acknowledged next = new Acknowledged(position, streamId);
		this.highest.accumulateAndGet(next, (current, candidate) -> (current != null
				&& current.position().epoch().equals(candidate.position().epoch())
				&& current.position().sequence() >= candidate.position().sequence()) ? current : candidate);
	}

	/** The highest event acknowledged so far, or {@code null} if none. */
	@Nullable Acknowledged highest() {
		return this.highest.get();
	}

	/**
	 * The furthest that Redis is known to have reached: {@code delivered}, or further in
	 * its epoch if this instance's publishes were acknowledged beyond it.
	 */
	@Nullable Position reached(@Nullable Position delivered) {
		Acknowledged highest = this.highest.get();
		if (delivered == null || highest == null || !highest.position().epoch().equals(delivered.epoch())
				|| highest.position().sequence() <= delivered.sequence()) {
			return delivered;
		}
		return highest.position();
	}

	/**
	 * One acknowledged event.
	 *
	 * @param position the number it was given
	 * @param streamId the id of its stream entry
	 */
	record Acknowledged(Position position, String streamId) {

	}

}
