package dev.ssebroadcast.redis;

import dev.ssebroadcast.redis.WireFormat.StoredPosition;
import dev.ssebroadcast.relay.Position;
import org.jspecify.annotations.Nullable;

/**
 * Whether Redis still holds what an idle reader delivered. Redis may lose data
 * (restarted without persistence, restored from an older snapshot, failed over to a
 * replica that lagged) or be edited: the position hash then is missing, carries another
 * epoch, went back to a lower sequence, the stream ends before the last entry read, or
 * it lacks an entry acknowledged to this instance though it reaches back to it.
 * Asked when a read found nothing new and after a reconnection; entries appended past
 * the reader's last one since are left to the reader, which finds any gap as it reads
 * them.
 */
final class PositionCheck {

	private PositionCheck() {
	}

	/**
	 * What makes Redis disagree with what was delivered, or {@code null} if nothing does.
	 * @param delivered the last position delivered, or {@code null} if none
	 * @param lastStreamId the last entry read
	 * @param stored what Redis holds now
	 */
	static @Nullable Verdict check(@Nullable Position delivered, String lastStreamId, StoredPosition stored) {
		if (stored.repaired() != null) {
			return new Verdict("held what the relay did not write (" + stored.repaired() + ")", false);
		}
		if (stored.lostEntry() != null) {
			// Its number may have gone to another instance's event since: none is to be trusted.
			return new Verdict("no longer has entry " + stored.lostEntry() + ", acknowledged to this instance",
					true);
		}
		Position position = stored.position();
		int ahead = WireFormat.compareStreamIds(stored.lastStreamId(), lastStreamId);
		if (delivered != null && !position.epoch().equals(delivered.epoch())) {
			// Entries to read (appended since the read found none): reading them tells more.
			// Else whoever started that epoch saw the loss first: it is the one to go on in.
			return (ahead > 0) ? null
					: new Verdict("is in epoch " + position.epoch() + " with nothing of it left to read", false);
		}
		if (ahead < 0) {
			return new Verdict("ends at entry " + stored.lastStreamId() + ", before entry " + lastStreamId
					+ " read here", true);
		}
		if (delivered != null && position.sequence() < delivered.sequence()) {
			return new Verdict("went back to " + position, true);
		}
		return null;
	}

	/**
	 * Why Redis no longer holds what was delivered.
	 *
	 * @param reason what Redis holds, for the log
	 * @param renew whether the epoch in force must be replaced: its numbers or stream
	 * ids may be given out again
	 */
	record Verdict(String reason, boolean renew) {

	}

}
