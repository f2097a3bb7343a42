package dev.ssebroadcast.benchmarks.reference;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes for the {@link ReferenceServer}: an event's {@code text/event-stream} bytes and
 * the HTTP chunk that carries them, built once per broadcast and shared read-only.
 */
final class Chunks {

	private Chunks() {
	}

	static byte[] event(byte[] data) {
		ByteArrayOutputStream event = new ByteArrayOutputStream(data.length + 16);
		int lineStart = 0;
		for (int i = 0; i <= data.length; i++) {
			if (i == data.length || data[i] == '\n') {
				event.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
				event.write(data, lineStart, i - lineStart);
				event.write('\n');
				lineStart = i + 1;
			}
		}
		event.write('\n');
		return event.toByteArray();
	}

	static ByteBuffer of(byte[] payload) {
		byte[] size = (Integer.toHexString(payload.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
		ByteBuffer chunk = ByteBuffer.allocate(size.length + payload.length + 2);
		chunk.put(size).put(payload).put((byte) '\r').put((byte) '\n').flip();
		return chunk.asReadOnlyBuffer();
	}

}
