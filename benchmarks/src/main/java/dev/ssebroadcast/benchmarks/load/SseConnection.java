package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One client stream of the load tool: its socket, its parser, and the last event it
 * got, which is how a duplicate or a reordering is noticed (every server sends each
 * client events in publish order).
 */
final class SseConnection implements StreamParser.Listener {

	final SocketChannel channel;

	final StreamParser parser = new StreamParser(this);

	private final ByteBuffer request;

	private final DeliveryLog log;

	private final ConnectionCounts counts;

	private long lastSeq;

	private boolean connected;

	private boolean closed;

	SseConnection(SocketChannel channel, ByteBuffer request, DeliveryLog log, ConnectionCounts counts) {
		this.channel = channel;
		this.request = request;
		this.log = log;
		this.counts = counts;
	}

	/**
	 * Send the {@code GET} once the connection is established; the request is small
	 * enough for one non-blocking write.
	 */
	void sendRequest() throws IOException {
		while (this.request.hasRemaining()) {
			if (this.channel.write(this.request) == 0) {
				throw new IOException("Socket buffer full while sending the request");
			}
		}
	}

	/** The connection could not be made: count it as failed, not as ended. */
	void fail(String reason) {
		this.counts.failed(reason);
		close();
	}

	@Override
	public void onComment() {
		if (!this.connected) {
			this.connected = true;
			this.counts.connected();
		}
	}

	@Override
	public void onEvent(long seq, long publishedNanos) {
		if (seq == 0) {
			return;
		}
		if (seq <= this.lastSeq) {
			this.log.duplicate();
			return;
		}
		this.lastSeq = seq;
		this.log.record(seq, publishedNanos);
	}

	@Override
	public void onBadResponse(String statusLine) {
		this.counts.failed(statusLine);
		close();
	}

	synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		this.counts.closed(this.connected);
	}

}
