package dev.ssebroadcast;

import java.util.Map;

/**
 * A snapshot of what a broadcaster has done since it was created.
 *
 * @param clients the clients connected now
 * @param published events accepted by {@code broadcast} and the {@code send} methods
 * @param delivered events written to clients, counting each client separately
 * @param dropped events a client did not get because of its
 * {@link OverflowPolicy#DROP_OLDEST} or {@link OverflowPolicy#DROP_NEWEST} policy
 * @param disconnects clients whose stream ended, by reason
 * @param queueHighWaterMark the most events that waited in one client's queue at once:
 * how close clients came to their queue capacity, which it never exceeds and reaches
 * when a queue overflows
 */
public record SseStatistics(int clients, long published, long delivered, long dropped,
		Map<DisconnectReason, Long> disconnects, int queueHighWaterMark) {

	public SseStatistics {
		disconnects = Map.copyOf(disconnects);
	}

	/**
	 * How many clients were disconnected for {@code reason}.
	 * @param reason the reason
	 * @return the count
	 */
	public long disconnects(DisconnectReason reason) {
		return this.disconnects.getOrDefault(reason, 0L);
	}

}
