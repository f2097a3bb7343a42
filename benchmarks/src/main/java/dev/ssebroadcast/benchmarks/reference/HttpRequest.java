package dev.ssebroadcast.benchmarks.reference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The little of HTTP/1.1 that the {@link ReferenceServer} understands: a request line,
 * a {@code Content-Length} and a body.
 *
 * @param method the request method
 * @param path the request path
 * @param body the request body, empty if none
 */
record HttpRequest(String method, String path, byte[] body) {

	boolean isStream() {
		return "GET".equals(this.method) && "/sse".equals(this.path);
	}

	boolean isBroadcast() {
		return "POST".equals(this.method) && "/broadcast".equals(this.path);
	}

	/**
	 * Parse the request at the start of {@code buffer}, which is in write mode.
	 * @return the request, or {@code null} if it has not fully arrived
	 */
	static @Nullable HttpRequest parse(ByteBuffer buffer) {
		byte[] bytes = buffer.array();
		int end = headerEnd(bytes, buffer.position());
		if (end < 0) {
			return null;
		}
		String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
		String[] lines = head.split("\r\n");
		String[] requestLine = lines[0].split(" ");
		int contentLength = 0;
		for (int i = 1; i < lines.length; i++) {
			String line = lines[i].toLowerCase(Locale.ROOT);
			if (line.startsWith("content-length:")) {
				contentLength = Integer.parseInt(line.substring(15).trim());
			}
		}
		int bodyStart = end + 4;
		if (buffer.position() < bodyStart + contentLength) {
			return null;
		}
		byte[] body = Arrays.copyOfRange(bytes, bodyStart, bodyStart + contentLength);
		return new HttpRequest(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", body);
	}

	static ByteBuffer jsonResponse(String json) {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
				+ "\r\n\r\n";
		ByteBuffer response = ByteBuffer.allocate(head.length() + body.length);
		response.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
		return response;
	}

	static ByteBuffer notFound() {
		return ByteBuffer.wrap("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
	}

	private static int headerEnd(byte[] bytes, int limit) {
		for (int i = 0; i + 3 < limit; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
				return i;
			}
		}
		return -1;
	}

}
