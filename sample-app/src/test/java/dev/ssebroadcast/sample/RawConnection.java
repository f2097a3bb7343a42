package dev.ssebroadcast.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 connection on a plain socket: light enough to open a thousand of at once,
 * it shows exactly which bytes the server sent and when, and it can send a request's
 * body as slowly or as wrongly as a test needs.
 */
final class RawConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private RawConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	static RawConnection open(int port) throws IOException {
		return new RawConnection(new Socket("127.0.0.1", port));
	}

	/**
	 * Open a connection, send {@code GET path} and wait until {@code text} has arrived.
	 * @throws IOException if it does not arrive within the timeout
	 */
	static RawConnection stream(int port, String path, String text, Duration timeout) throws IOException {
		return stream(port, path, "", text, timeout);
	}

	/**
	 * Open a connection, send {@code GET path} with {@code headers} (each line ending in
	 * CRLF) and wait until {@code text} has arrived.
	 * @throws IOException if it does not arrive within the timeout
	 */
	static RawConnection stream(int port, String path, String headers, String text, Duration timeout)
			throws IOException {
		RawConnection connection = open(port);
		try {
			connection.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" + headers
					+ "\r\n");
			if (!connection.await(text, timeout)) {
				throw new IOException("No '" + text + "' within " + timeout + ": " + connection.received());
			}
			return connection;
		}
		catch (IOException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	void send(String text) throws IOException {
		output().write(text.getBytes(StandardCharsets.US_ASCII));
	}

	OutputStream output() throws IOException {
		return this.socket.getOutputStream();
	}

	/**
	 * Read until {@code text} has arrived.
	 * @return whether it arrived before the timeout or the end of the connection
	 */
	boolean await(String text, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		byte[] buffer = new byte[8192];
		while (!received().contains(text)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
			int read;
			try {
				read = this.in.read(buffer);
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			if (read < 0) {
				return false;
			}
			this.received.write(buffer, 0, read);
		}
		return true;
	}

	/**
	 * Everything received so far, headers included.
	 */
	String received() {
		return this.received.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
