package dev.ssebroadcast.benchmarks.reference;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

/**
 * One socket of the {@link ReferenceServer}: the request it is reading, and the bytes
 * that wait until the socket can take them. Used by the selector thread only.
 */
final class Connection {

	/** Frames that may wait for one stream before it counts as too slow and is dropped. */
	private static final int MAX_PENDING = 128;

	// Streams only ever read to notice that the client left; they share one buffer.
	private static final ByteBuffer DISCARD = ByteBuffer.allocate(256);

	final SocketChannel channel;

	@Nullable SelectionKey key;

	boolean streaming;

	private @Nullable ByteBuffer requestBytes = ByteBuffer.allocate(2048);

	private @Nullable ArrayDeque<ByteBuffer> pending;

	Connection(SocketChannel channel) {
		this.channel = channel;
	}

	/**
	 * Read what arrived.
	 * @return a complete request, or {@code null} while it is incomplete or once this
	 * connection streams
	 * @throws IOException if the client closed the connection
	 */
	@Nullable HttpRequest read() throws IOException {
		if (this.streaming) {
			DISCARD.clear();
			if (this.channel.read(DISCARD) < 0) {
				throw new EOFException();
			}
			return null;
		}
		if (this.channel.read(this.requestBytes) < 0) {
			throw new EOFException();
		}
		HttpRequest request = HttpRequest.parse(this.requestBytes);
		if (request != null && request.isStream()) {
			this.requestBytes = null;
		}
		if (request == null && !this.requestBytes.hasRemaining()) {
			throw new IOException("Request too large");
		}
		return request;
	}

	/** Forget the request just answered, keeping the connection for the next one. */
	void afterResponse() {
		this.requestBytes.clear();
	}

	/**
	 * Write {@code bytes} now, or queue what the socket does not take.
	 * @return {@code false} if too much is already waiting
	 */
	boolean write(ByteBuffer bytes) throws IOException {
		if (this.pending == null || this.pending.isEmpty()) {
			this.channel.write(bytes);
			if (!bytes.hasRemaining()) {
				return true;
			}
			if (this.pending == null) {
				this.pending = new ArrayDeque<>(4);
			}
			this.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
		}
		if (this.pending.size() >= MAX_PENDING) {
			return false;
		}
		this.pending.add(bytes);
		return true;
	}

	void writePending() throws IOException {
		while (this.pending != null && !this.pending.isEmpty()) {
			ByteBuffer head = this.pending.peek();
			this.channel.write(head);
			if (head.hasRemaining()) {
				return;
			}
			this.pending.poll();
		}
		this.key.interestOps(SelectionKey.OP_READ);
	}

	void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Already gone.
		}
	}

}
