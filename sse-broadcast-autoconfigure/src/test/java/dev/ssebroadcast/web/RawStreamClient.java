package dev.ssebroadcast.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A stream client on a bare socket that reads only when the test says so: what a
 * browser that stopped reading, or left, looks like to the server. Its receive buffer is
 * small, so the server's writes back up after a few hundred kilobytes.
 */
final class RawStreamClient implements AutoCloseable {

	private final Socket socket;

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private RawStreamClient(Socket socket) {
		this.socket = socket;
	}

	static RawStreamClient connect(int port, String path) throws IOException {
		return connect(port, path, Map.of());
	}

	/**
	 * Connect with extra request headers, their values sent as UTF-8 bytes, as browsers
	 * send a {@code Last-Event-ID} that is not ASCII.
	 */
	static RawStreamClient connect(int port, String path, Map<String, String> headers) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress("127.0.0.1", port));
		StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
			.append("Accept: text/event-stream\r\n");
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
		return new RawStreamClient(socket);
	}

	/** What has arrived so far, decoded as UTF-8. */
	String received() {
		return this.received.toString(StandardCharsets.UTF_8);
	}

	/**
	 * Read until {@code text} has arrived.
	 * @throws SocketTimeoutException if it does not arrive within 10 seconds
	 */
	void readUntil(String text) throws IOException {
		// A deadline for the whole wait: heartbeats would keep each read short.
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		InputStream in = this.socket.getInputStream();
		byte[] buffer = new byte[1024];
		while (!received().contains(text)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new SocketTimeoutException("'" + text + "' did not arrive within 10 seconds, only: " + received());
			}
			this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
			int read = in.read(buffer);
			if (read < 0) {
				throw new IOException("Stream ended before '" + text + "' arrived");
			}
			this.received.write(buffer, 0, read);
		}
	}

	/**
	 * Read whatever the server still has for us, and report whether it then closed the
	 * connection (an end of stream, or a reset) within {@code timeout}.
	 */
	boolean isClosedByServerWithin(Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		InputStream in = this.socket.getInputStream();
		byte[] buffer = new byte[64 * 1024];
		try {
			while (true) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
				if (in.read(buffer) < 0) {
					return true;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
