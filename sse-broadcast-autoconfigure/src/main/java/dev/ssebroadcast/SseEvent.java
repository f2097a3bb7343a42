package dev.ssebroadcast;

import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Event: its {@code data} and, optionally, an {@code event} name and an
 * {@code id}.
 * <p>
 * {@code data} may span several lines; each becomes its own {@code data:} line on the
 * wire and the browser joins them again with {@code \n}. {@code event} and {@code id}
 * are single-line fields: a CR or LF in them would let a caller inject extra fields into
 * the stream, so they are rejected.
 *
 * @param data the payload, never {@code null}
 * @param event the event name a browser dispatches on, or {@code null} for
 * {@code message}
 * @param id the event id a reconnecting browser sends back as {@code Last-Event-ID}, or
 * {@code null}
 */
public record SseEvent(String data, @Nullable String event, @Nullable String id) {

	public SseEvent {
		if (data == null) {
			throw new IllegalArgumentException("data must not be null");
		}
		requireSingleLine("event", event);
		requireSingleLine("id", id);
		if (id != null && id.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("id must not contain NUL, since browsers ignore such ids");
		}
	}

	/**
	 * An unnamed event carrying {@code data}.
	 * @param data the payload
	 * @return the event
	 */
	public static SseEvent of(String data) {
		return new SseEvent(data, null, null);
	}

	/**
	 * A copy of this event with the given name.
	 * @param event the event name, a single line
	 * @return the named event
	 */
	public SseEvent withEvent(String event) {
		return new SseEvent(this.data, event, this.id);
	}

	/**
	 * A copy of this event with the given id.
	 * @param id the event id, a single line
	 * @return the event with its id
	 */
	public SseEvent withId(String id) {
		return new SseEvent(this.data, this.event, id);
	}

	private static void requireSingleLine(String field, @Nullable String value) {
		if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
			throw new IllegalArgumentException(field + " must not contain CR or LF, but was '"
					+ value.replace("\r", "\\r").replace("\n", "\\n") + "'");
		}
	}

}
