package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The load tool's client streams, spread over a few receiving threads, and what they
 * received, summed over those threads.
 */
final class Streams implements AutoCloseable {

	/** Connections that may be opening at once, within Tomcat's default accept backlog. */
	static final int MAX_CONNECTING = 64;

	private final InetSocketAddress server;

	private final ByteBuffer request;

	private final List<Receiver> receivers = new ArrayList<>();

	private final List<SseConnection> connections = new ArrayList<>();

	private final ConnectionCounts counts;

	/**
	 * @param maxConnecting how many streams may be opening at once: {@link #MAX_CONNECTING}
	 * to measure the server rather than its accept backlog, or as many as are opened to
	 * let every client connect at once
	 */
	Streams(String host, int port, int receiverThreads, int maxSeq, int sampledUpTo, int maxConnecting)
			throws IOException {
		this.server = new InetSocketAddress(host, port);
		this.counts = new ConnectionCounts(maxConnecting);
		this.request = ByteBuffer.wrap(("GET /sse HTTP/1.1\r\nHost: " + host + ":" + port
				+ "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII))
			.asReadOnlyBuffer();
		for (int i = 0; i < receiverThreads; i++) {
			Receiver receiver = new Receiver(new DeliveryLog(maxSeq, sampledUpTo));
			this.receivers.add(receiver);
			Thread.ofPlatform().daemon().name("load-receiver-" + i).start(receiver);
		}
	}

	/**
	 * Open {@code n} more streams and wait until each got its first comment.
	 * @return how many are open
	 */
	int open(int n, long timeoutMillis) throws IOException, InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMillis;
		int target = this.counts.open() + n;
		for (int i = 0; i < n && System.currentTimeMillis() < deadline; i++) {
			if (!this.counts.startConnecting(deadline - System.currentTimeMillis())) {
				break;
			}
			// Connected without blocking, by the receiving thread, so that one slow handshake
			// holds up no other.
			SocketChannel channel = SocketChannel.open();
			Receiver receiver = this.receivers.get(this.connections.size() % this.receivers.size());
			SseConnection connection = new SseConnection(channel, this.request.duplicate(), receiver.log, this.counts);
			try {
				channel.configureBlocking(false);
				if (channel.connect(this.server)) {
					connection.sendRequest();
				}
			}
			catch (IOException ex) {
				connection.fail(ex.toString());
				continue;
			}
			this.connections.add(connection);
			receiver.add(connection);
		}
		while (this.counts.open() < target && System.currentTimeMillis() < deadline) {
			Thread.sleep(5);
		}
		return this.counts.open();
	}

	/** Wait until {@code expected} clients got event {@code seq}, or the timeout passes. */
	boolean awaitDelivered(int seq, int expected, long timeoutNanos) {
		long deadline = System.nanoTime() + timeoutNanos;
		while (delivered(seq) < expected) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			LockSupport.parkNanos(50_000);
		}
		return true;
	}

	// Each reader below reads a log's deliveries() first: that volatile read makes what the
	// receiving thread recorded before its last delivery visible here.
	int delivered(int seq) {
		int count = 0;
		for (Receiver receiver : this.receivers) {
			receiver.log.deliveries();
			count += receiver.log.count(seq);
		}
		return count;
	}

	long deliveries() {
		long sum = 0;
		for (Receiver receiver : this.receivers) {
			sum += receiver.log.deliveries();
		}
		return sum;
	}

	long duplicates() {
		long sum = 0;
		for (Receiver receiver : this.receivers) {
			receiver.log.deliveries();
			sum += receiver.log.duplicates();
		}
		return sum;
	}

	/** Latency to the first ({@code first}) or last client that got {@code seq}, in µs. */
	int arrivalMicros(int seq, boolean first) {
		long best = first ? Long.MAX_VALUE : Long.MIN_VALUE;
		long published = 0;
		for (Receiver receiver : this.receivers) {
			DeliveryLog log = receiver.log;
			log.deliveries();
			if (log.count(seq) > 0) {
				published = log.published(seq);
				best = first ? Math.min(best, log.firstArrival(seq)) : Math.max(best, log.lastArrival(seq));
			}
		}
		return (int) ((best - published) / 1000);
	}

	long lastArrival(int seq) {
		long last = 0;
		for (Receiver receiver : this.receivers) {
			receiver.log.deliveries();
			if (receiver.log.count(seq) > 0) {
				last = Math.max(last, receiver.log.lastArrival(seq));
			}
		}
		return last;
	}

	int[] latencySamplesMicros() {
		List<int[]> parts = new ArrayList<>();
		int total = 0;
		for (Receiver receiver : this.receivers) {
			receiver.log.deliveries();
			int[] part = receiver.log.samplesMicros();
			parts.add(part);
			total += part.length;
		}
		int[] all = new int[total];
		int at = 0;
		for (int[] part : parts) {
			System.arraycopy(part, 0, all, at, part.length);
			at += part.length;
		}
		return all;
	}

	int open() {
		return this.counts.open();
	}

	long lastConnectedNanos() {
		return this.counts.lastConnectedNanos();
	}

	int ended() {
		return this.counts.ended();
	}

	int failed() {
		return this.counts.failed();
	}

	String lastFailure() {
		return this.counts.lastFailure();
	}

	/** Close every stream opened so far; they count as ended. */
	void closeAll() {
		for (SseConnection connection : this.connections) {
			connection.close();
		}
		this.connections.clear();
	}

	@Override
	public void close() {
		closeAll();
		for (Receiver receiver : this.receivers) {
			receiver.stop();
		}
	}

}
