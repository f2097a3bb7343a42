package dev.ssebroadcast.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.RelayedEvent.Audience;
import io.lettuce.core.StreamMessage;
import org.jspecify.annotations.Nullable;

/**
 * One event as the stream keeps it. Fields have one-letter names: {@code e} epoch,
 * {@code s} sequence, {@code a} audience, {@code t} target, {@code i} the application's
 * id (absent when it gave none), {@code f} the encoded frame and {@code p} when it was
 * published, in microseconds since the Unix epoch.
 *
 * @param streamId the stream's id of the entry
 * @param epoch the epoch it was numbered in
 * @param sequence its number within the epoch
 * @param audience who receives it
 * @param target the topic, user or client id
 * @param id the application's id, or {@code null}
 * @param frame the encoded event
 * @param publishedMicros when it was published
 */
record StreamEntry(String streamId, String epoch, long sequence, Audience audience, String target,
		@Nullable String id, byte[] frame, long publishedMicros) {

	private static final Audience[] AUDIENCES = Audience.values();

	static StreamEntry of(StreamMessage<byte[], byte[]> message) {
		String epoch = null;
		long sequence = -1;
		Audience audience = null;
		String target = "";
		String id = null;
		byte[] frame = null;
		long published = 0;
		for (Map.Entry<byte[], byte[]> field : message.getBody().entrySet()) {
			byte[] value = field.getValue();
			switch (field.getKey()[0]) {
				case 'e' -> epoch = text(value);
				case 's' -> sequence = Long.parseLong(text(value));
				case 'a' -> audience = AUDIENCES[value[0] - '0'];
				case 't' -> target = text(value);
				case 'i' -> id = text(value);
				case 'f' -> frame = value;
				case 'p' -> published = Long.parseLong(text(value));
				default -> {
					// A field from a later version: not needed to deliver the event.
				}
			}
		}
		if (epoch == null || sequence < 0 || audience == null || frame == null) {
			throw new IllegalStateException("Stream entry " + message.getId() + " is not an event");
		}
		return new StreamEntry(message.getId(), epoch, sequence, audience, target, id, frame, published);
	}

	/**
	 * The event for this JVM's fan-out, its publishing time moved into
	 * {@link System#nanoTime()}'s frame.
	 */
	RelayedEvent toEvent(long nowMicros, long nowNanos) {
		long ageNanos = Math.max(0, nowMicros - this.publishedMicros) * 1000;
		return new RelayedEvent(this.audience, this.target, this.id, this.frame, nowNanos - ageNanos);
	}

	/** The audience as the one digit the stream keeps. */
	static byte[] audience(Audience audience) {
		return new byte[] { (byte) ('0' + audience.ordinal()) };
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
