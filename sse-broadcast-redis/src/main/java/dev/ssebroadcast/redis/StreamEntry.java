package dev.ssebroadcast.redis;

import dev.ssebroadcast.relay.Position;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.RelayedEvent.Audience;
import org.jspecify.annotations.Nullable;

/**
 * One event of an entry of the stream, checked by {@link WireFormat#events}.
 *
 * @param streamId the stream's id of the entry that holds it
 * @param position the position it was numbered at, sequence 1 or more
 * @param audience who receives it
 * @param target the topic, user or client id
 * @param id the application's id, or {@code null}
 * @param frame the encoded event
 * @param publishedMicros when it was published, in microseconds since 1970
 */
record StreamEntry(String streamId, Position position, Audience audience, String target, @Nullable String id,
		byte[] frame, long publishedMicros) {

	/**
	 * The event for this JVM's fan-out, its publishing time moved into
	 * {@link System#nanoTime()}'s frame.
	 */
	RelayedEvent toEvent(long nowMicros, long nowNanos) {
		long ageNanos = Math.max(0, nowMicros - this.publishedMicros) * 1000;
		return new RelayedEvent(this.audience, this.target, this.id, this.frame, nowNanos - ageNanos);
	}

}
