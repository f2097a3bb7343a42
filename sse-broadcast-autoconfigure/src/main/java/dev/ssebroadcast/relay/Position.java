package dev.ssebroadcast.relay;

import org.jspecify.annotations.Nullable;

/**
 * Where an event sits in the one order a relay gives events: an epoch and a sequence
 * number within it. A relay numbers events 1, 2, 3… within an epoch, identically on
 * every instance, and starts a new epoch when what came before may be lost; the id
 * generated for an event without one of its own is {@code epoch-sequence}.
 *
 * @param epoch letters and digits, at most {@value #MAX_EPOCH_LENGTH} of them, so that
 * it can be put in an event id as it is
 * @param sequence the number within the epoch: 0 before the first event, never negative
 */
public record Position(String epoch, long sequence) {

	/** The longest epoch. */
	public static final int MAX_EPOCH_LENGTH = 16;

	/**
	 * Check both parts.
	 * @throws IllegalArgumentException if the epoch is not 1 to 16 letters and digits or
	 * the sequence is negative
	 */
	public Position {
		if (!isEpoch(epoch)) {
			throw new IllegalArgumentException("An epoch is 1 to " + MAX_EPOCH_LENGTH
					+ " ASCII letters and digits, but was '" + epoch + "'");
		}
		if (sequence < 0) {
			throw new IllegalArgumentException("A sequence is never negative, but was " + sequence);
		}
	}

	/**
	 * Whether {@code epoch} may be the epoch of a position.
	 * @param epoch the candidate, or {@code null}
	 * @return {@code true} if it is 1 to 16 ASCII letters and digits
	 */
	public static boolean isEpoch(@Nullable String epoch) {
		if (epoch == null || epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH) {
			return false;
		}
		for (int i = 0; i < epoch.length(); i++) {
			char c = epoch.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The position right after this one, in the same epoch.
	 * @return the next position
	 */
	public Position next() {
		return new Position(this.epoch, this.sequence + 1);
	}

	/**
	 * Whether {@code other} is in the same epoch and directly follows this position.
	 * @param other the position that may follow
	 * @return {@code true} if no number lies between the two
	 */
	public boolean isFollowedBy(Position other) {
		return this.epoch.equals(other.epoch) && other.sequence == this.sequence + 1;
	}

	/**
	 * The id generated for the event at this position.
	 * @return {@code epoch-sequence}
	 */
	public String id() {
		return this.epoch + "-" + this.sequence;
	}

	/**
	 * The sequence of {@code id} if it is an id generated in this position's epoch.
	 * @param id an event id a client sent back
	 * @return the sequence, or -1 if {@code id} is not one generated in this epoch
	 */
	public long sequenceOf(String id) {
		int dash = this.epoch.length();
		if (id.length() <= dash + 1 || id.length() > dash + 20 || id.charAt(dash) != '-' || !id.startsWith(this.epoch)) {
			return -1;
		}
		try {
			long sequence = Long.parseLong(id, dash + 1, id.length(), 10);
			return (sequence >= 0 && id.charAt(dash + 1) != '+') ? sequence : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	@Override
	public String toString() {
		return id();
	}

}
