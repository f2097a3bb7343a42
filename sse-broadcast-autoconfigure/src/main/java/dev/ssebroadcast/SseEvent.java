package dev.ssebroadcast;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Event, with the fields of the {@code text/event-stream} format:
 * {@code data}, an {@code event} name, an {@code id}, a {@code retry} delay and a
 * {@code comment}.
 * <p>
 * {@code data} may be any object: a {@link String} is sent as it is, anything else is
 * turned into text by the broadcaster's {@link SseDataEncoder}: the starter's writes
 * JSON when Jackson is present, and a broadcaster built by hand rejects such data unless
 * given an encoder. Text may span several lines; each becomes its own {@code data:} line
 * and the browser joins them again with {@code \n}. A comment may span lines too.
 * {@code event} and {@code id} are single-line fields: a CR or LF in them would let a
 * caller inject extra fields into the stream, so they are rejected. An {@code id} must
 * also come back unchanged as the browser's {@code Last-Event-ID}: one that is empty,
 * starts or ends with whitespace, or holds a control character or a lone surrogate is
 * rejected too.
 *
 * @param data the payload, or {@code null} for an event that only sets {@code retry} or
 * carries a comment
 * @param event the event name a browser dispatches on, or {@code null} for
 * {@code message}
 * @param id the event id a reconnecting browser sends back as {@code Last-Event-ID}, or
 * {@code null} to let the broadcaster number the event
 * @param retry the reconnection delay the browser should use from now on, or
 * {@code null}
 * @param comment text that browsers ignore, or {@code null}
 */
public record SseEvent(@Nullable Object data, @Nullable String event, @Nullable String id, @Nullable Duration retry,
		@Nullable String comment) {

	public SseEvent {
		if (data == null && retry == null && comment == null) {
			throw new IllegalArgumentException("An event needs data, a retry delay or a comment");
		}
		requireSingleLine("event", event);
		requireSingleLine("id", id);
		if (id != null) {
			requireReturnable(id);
		}
		if (retry != null && (retry.isNegative() || retry.isZero())) {
			throw new IllegalArgumentException("retry must be positive, but was " + retry);
		}
	}

	/**
	 * An unnamed event carrying {@code data}.
	 * @param data the payload: a {@link String}, or an object for the
	 * {@link SseDataEncoder}
	 * @return the event
	 */
	public static SseEvent of(Object data) {
		if (data == null) {
			throw new IllegalArgumentException("data must not be null");
		}
		return new SseEvent(data, null, null, null, null);
	}

	/**
	 * An event that carries only a comment, which browsers ignore.
	 * @param comment the comment
	 * @return the event
	 */
	public static SseEvent comment(String comment) {
		if (comment == null) {
			throw new IllegalArgumentException("comment must not be null");
		}
		return new SseEvent(null, null, null, null, comment);
	}

	/**
	 * A copy of this event with the given name.
	 * @param event the event name, a single line
	 * @return the named event
	 */
	public SseEvent withEvent(String event) {
		return new SseEvent(this.data, event, this.id, this.retry, this.comment);
	}

	/**
	 * A copy of this event with the given id, replacing the one the broadcaster would
	 * generate.
	 * @param id the event id, a single line
	 * @return the event with its id
	 */
	public SseEvent withId(String id) {
		return new SseEvent(this.data, this.event, id, this.retry, this.comment);
	}

	/**
	 * A copy of this event that also tells the browser how long to wait before it
	 * reconnects.
	 * @param retry the reconnection delay, positive
	 * @return the event with its retry delay
	 */
	public SseEvent withRetry(Duration retry) {
		return new SseEvent(this.data, this.event, this.id, retry, this.comment);
	}

	/**
	 * A copy of this event with a comment.
	 * @param comment the comment
	 * @return the event with its comment
	 */
	public SseEvent withComment(String comment) {
		return new SseEvent(this.data, this.event, this.id, this.retry, comment);
	}

	/**
	 * An id is only worth giving if the browser can send it back as
	 * {@code Last-Event-ID} unchanged: it ignores an id with NUL, forgets its last id on
	 * an empty one, and an HTTP header loses leading and trailing whitespace, cannot
	 * carry control characters and carries text as UTF-8, which a lone surrogate is not.
	 */
	private static void requireReturnable(String id) {
		if (id.isEmpty()) {
			throw new IllegalArgumentException("id must not be empty, since browsers then send no Last-Event-ID");
		}
		if (id.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("id must not contain NUL, since browsers ignore such ids");
		}
		if (isWhitespace(id.charAt(0)) || isWhitespace(id.charAt(id.length() - 1))) {
			throw new IllegalArgumentException("id must not start or end with whitespace, which Last-Event-ID loses, but was '"
					+ id + "'");
		}
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			if (c < 0x20 || c == 0x7F) {
				throw new IllegalArgumentException("id must not contain control characters, which Last-Event-ID cannot carry, but has U+"
						+ String.format("%04X", (int) c) + " at index " + i);
			}
			if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new IllegalArgumentException("id must not contain a lone surrogate, which UTF-8 cannot carry, but has U+"
						+ String.format("%04X", (int) c) + " at index " + i);
			}
		}
	}

	private static boolean isWhitespace(char c) {
		return c == ' ' || c == '\t';
	}

	private static void requireSingleLine(String field, @Nullable String value) {
		if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
			throw new IllegalArgumentException(field + " must not contain CR or LF, but was '"
					+ value.replace("\r", "\\r").replace("\n", "\\n") + "'");
		}
	}

}
