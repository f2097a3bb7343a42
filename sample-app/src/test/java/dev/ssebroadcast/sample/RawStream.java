package dev.ssebroadcast.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 stream on a plain socket: light enough to open a thousand of at once,
 * and it shows exactly which bytes the server sent.
 */
final class RawStream implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private RawStream(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	/**
	 * Send {@code GET path} and wait until {@code text} has arrived.
	 */
	static RawStream open(int port, String path, String text, Duration timeout) throws IOException {
		RawStream stream = new RawStream(new Socket("127.0.0.1", port));
		try {
			stream.socket.getOutputStream()
				.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			stream.await(text, timeout);
			return stream;
		}
		catch (IOException | RuntimeException ex) {
			stream.close();
			throw ex;
		}
	}

	/**
	 * Read until {@code text} has arrived.
	 * @return whether it arrived before the timeout or the end of the stream
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
