package dev.ssebroadcast;

import java.nio.charset.StandardCharsets;

/**
 * Turns an event into the bytes of the {@code text/event-stream} format, once per
 * broadcast, so that every client is handed the same array.
 */
final class EventEncoder {

	/** Written when a stream opens, so that the response is committed at once. */
	static final byte[] CONNECTED = comment("connected");

	/** Written to an idle stream, so that a dead connection is noticed. */
	static final byte[] HEARTBEAT = comment("heartbeat");

	private EventEncoder() {
	}

	static byte[] encode(SseEvent event) {
		StringBuilder frame = new StringBuilder(event.data().length() + 32);
		if (event.id() != null) {
			frame.append("id: ").append(event.id()).append('\n');
		}
		if (event.event() != null) {
			frame.append("event: ").append(event.event()).append('\n');
		}
		appendData(frame, event.data());
		frame.append('\n');
		return frame.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static void appendData(StringBuilder frame, String data) {
		int lineStart = 0;
		int length = data.length();
		for (int i = 0; i < length; i++) {
			char c = data.charAt(i);
			if (c == '\r' || c == '\n') {
				frame.append("data: ").append(data, lineStart, i).append('\n');
				if (c == '\r' && i + 1 < length && data.charAt(i + 1) == '\n') {
					i++;
				}
				lineStart = i + 1;
			}
		}
		frame.append("data: ").append(data, lineStart, length).append('\n');
	}

	private static byte[] comment(String text) {
		return (": " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
	}

}
