package dev.ssebroadcast;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Turns an event into the bytes of the {@code text/event-stream} format, once per
 * publish, so that every client is handed the same array.
 */
final class EventEncoder {

	/** Written to an idle stream, so that a dead connection is noticed. */
	static final byte[] HEARTBEAT = ascii(": heartbeat\n\n");

	/** The name of the event that tells a client its missed events cannot be replayed. */
	static final String RESET_EVENT = "sse-reset";

	/** The name of the last event of a stream whose authentication or session ended. */
	static final String EXPIRED_EVENT = "sse-expired";

	/** The last bytes of a stream whose authentication or session ended. */
	static final byte[] EXPIRED = ascii("event: " + EXPIRED_EVENT + "\ndata: authentication-expired\n\n");

	private final SseDataEncoder dataEncoder;

	private final int maxEventSize;

	EventEncoder(SseDataEncoder dataEncoder, int maxEventSize) {
		this.dataEncoder = dataEncoder;
		this.maxEventSize = maxEventSize;
	}

	/**
	 * Encode everything but a generated id, which is only known once the event is
	 * ordered; see {@link #withGeneratedId}.
	 */
	byte[] encode(SseEvent event) {
		StringBuilder frame = new StringBuilder(64);
		if (event.comment() != null) {
			appendLines(frame, ":", event.comment());
		}
		if (event.id() != null) {
			frame.append("id: ").append(event.id()).append('\n');
		}
		if (event.event() != null) {
			frame.append("event: ").append(event.event()).append('\n');
		}
		if (event.retry() != null) {
			frame.append("retry: ").append(event.retry().toMillis()).append('\n');
		}
		if (event.data() != null) {
			appendLines(frame, "data:", text(event.data()));
		}
		frame.append('\n');
		byte[] bytes = frame.toString().getBytes(StandardCharsets.UTF_8);
		if (bytes.length > this.maxEventSize) {
			throw new IllegalArgumentException("Event is " + bytes.length + " bytes when encoded, more than the "
					+ this.maxEventSize + " allowed (sse.broadcast.max-event-size)");
		}
		return bytes;
	}

	static byte[] withGeneratedId(String id, byte[] frame) {
		byte[] idLine = ascii("id: " + id + "\n");
		byte[] framed = new byte[idLine.length + frame.length];
		System.arraycopy(idLine, 0, framed, 0, idLine.length);
		System.arraycopy(frame, 0, framed, idLine.length, frame.length);
		return framed;
	}

	/** The first bytes of every stream: they commit the response at once. */
	static byte[] prelude(@Nullable Duration retry) {
		return ascii((retry != null ? "retry: " + retry.toMillis() + "\n" : "") + ": connected\n\n");
	}

	/**
	 * The last bytes of a stream that the server ends (it reached its lifetime, or the
	 * broadcaster closes): the browser reconnects after {@code retry}, with the id of the
	 * last event it got.
	 */
	static byte[] reconnect(Duration retry) {
		return ascii("retry: " + retry.toMillis() + "\n: reconnect\n\n");
	}

	static byte[] reset(String reason) {
		return ascii("event: " + RESET_EVENT + "\ndata: " + reason + "\n\n");
	}

	private String text(Object data) {
		return (data instanceof String text) ? text : this.dataEncoder.encode(data);
	}

	private static void appendLines(StringBuilder frame, String field, String text) {
		int lineStart = 0;
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c == '\r' || c == '\n') {
				frame.append(field).append(' ').append(text, lineStart, i).append('\n');
				if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
					i++;
				}
				lineStart = i + 1;
			}
		}
		frame.append(field).append(' ').append(text, lineStart, length).append('\n');
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
