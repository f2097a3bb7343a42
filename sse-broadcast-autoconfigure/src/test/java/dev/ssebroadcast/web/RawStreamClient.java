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
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress("127.0.0.1", port));
		socket.getOutputStream()
			.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		return new RawStreamClient(socket);
	}

	/**
	 * Read until {@code text} has arrived.
	 * @throws SocketTimeoutException if it does not arrive within 10 seconds
	 */
	void readUntil(String text) throws IOException {
		this.socket.setSoTimeout(10_000);
		InputStream in = this.socket.getInputStream();
		byte[] buffer = new byte[1024];
		while (!this.received.toString(StandardCharsets.US_ASCII).contains(text)) {
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
