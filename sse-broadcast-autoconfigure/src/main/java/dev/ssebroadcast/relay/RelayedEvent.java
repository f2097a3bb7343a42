package dev.ssebroadcast.relay;

import org.jspecify.annotations.Nullable;

/**
 * An event as a relay carries it: encoded once by the publishing instance, and addressed
 * to everyone, a topic, a user or one client. A relay also carries the commands to end
 * the streams of a user or of one client this way, so that they reach every instance
 * in the same order as events.
 *
 * @param audience who receives the event
 * @param target the topic, the user's name or the client's id as a decimal number; empty
 * for {@link Audience#EVERYONE}
 * @param id the id the application gave the event, or {@code null}; an event for everyone
 * or a topic without one gets a generated id when it is delivered
 * @param frame the {@code text/event-stream} bytes, without a generated id line; never
 * modified
 * @param publishedNanos when it was published, as {@link System#nanoTime()} of the JVM
 * that delivers it: a relay that crosses processes converts from wall-clock time
 */
public record RelayedEvent(Audience audience, String target, @Nullable String id, byte[] frame,
		long publishedNanos) {

	/**
	 * Whether the event is numbered and kept for replay, as events for everyone and for
	 * topics are; targeted events are neither.
	 * @return {@code true} for everyone and topics
	 */
	public boolean isReplayable() {
		return this.audience == Audience.EVERYONE || this.audience == Audience.TOPIC;
	}

	/**
	 * Whether this is a command to end its audience's streams rather than an event: its
	 * frame is then empty and written to no one.
	 * @return {@code true} for {@link Audience#DISCONNECT_USER} and
	 * {@link Audience#DISCONNECT_CLIENT}
	 */
	public boolean isDisconnect() {
		return this.audience == Audience.DISCONNECT_USER || this.audience == Audience.DISCONNECT_CLIENT;
	}

	/**
	 * Who receives an event.
	 */
	public enum Audience {

		/** Every client. */
		EVERYONE,

		/** The subscribers of the topic named by the target. */
		TOPIC,

		/** Every connection of the user named by the target. */
		USER,

		/** The one client whose id is the target. */
		CLIENT,

		// Appended, never inserted: a shared relay may store an audience as its ordinal.

		/** Not an event: end every stream of the user named by the target. */
		DISCONNECT_USER,

		/** Not an event: end the stream of the client whose id is the target. */
		DISCONNECT_CLIENT

	}

}
