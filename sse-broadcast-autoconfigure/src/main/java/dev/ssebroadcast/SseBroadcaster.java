package dev.ssebroadcast;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends Server-Sent Events to every connected client.
 * <p>
 * {@link #broadcast} is thread-safe and never blocks on a client: it encodes the event
 * once and offers the same bytes to each client's bounded queue, and each client's own
 * thread writes them to its connection (see {@link SseClient#streamTo}). No socket I/O
 * happens on the publishing thread. Every client receives events in the order in which
 * {@code broadcast} calls returned.
 * <p>
 * A client whose queue is full when an event arrives is too slow to keep up: it is
 * disconnected and counted in {@link #slowClientDisconnects()}, and the event is not
 * kept for it. Every other client and the publisher carry on unaffected. A browser's
 * {@code EventSource} reconnects by itself.
 */
public class SseBroadcaster implements AutoCloseable {

	/** Queue capacity per client when none is given. */
	public static final int DEFAULT_CLIENT_QUEUE_CAPACITY = 128;

	/** Idle time after which a client gets a heartbeat when none is given. */
	public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);

	private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();

	// Held for a whole fan-out so that all clients see concurrent broadcasts in one order.
	private final ReentrantLock fanOut = new ReentrantLock();

	private final AtomicLong nextClientId = new AtomicLong();

	private final LongAdder slowClientDisconnects = new LongAdder();

	private final int clientQueueCapacity;

	private final Duration heartbeat;

	private volatile boolean closed;

	/**
	 * A broadcaster with the default queue capacity and heartbeat.
	 */
	public SseBroadcaster() {
		this(DEFAULT_CLIENT_QUEUE_CAPACITY, DEFAULT_HEARTBEAT);
	}

	/**
	 * A broadcaster with the given limits.
	 * @param clientQueueCapacity how many events may wait for one client before it is
	 * disconnected as too slow; at least 1
	 * @param heartbeat idle time after which a client gets a heartbeat comment; positive
	 */
	public SseBroadcaster(int clientQueueCapacity, Duration heartbeat) {
		if (clientQueueCapacity < 1) {
			throw new IllegalArgumentException(
					"clientQueueCapacity must be at least 1, but was " + clientQueueCapacity);
		}
		if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("heartbeat must be positive, but was " + heartbeat);
		}
		this.clientQueueCapacity = clientQueueCapacity;
		this.heartbeat = heartbeat;
	}

	/**
	 * Register a new client. The caller must then call {@link SseClient#streamTo} on a
	 * thread of its own, typically the one serving the client's request.
	 * @return the client, already receiving broadcasts
	 * @throws IllegalStateException if this broadcaster is closed
	 */
	public SseClient connect() {
		if (this.closed) {
			throw new IllegalStateException("SseBroadcaster is closed");
		}
		SseClient client = new SseClient(this.nextClientId.incrementAndGet(), this.clientQueueCapacity,
				this.heartbeat, this);
		this.clients.add(client);
		if (this.closed) {
			client.close();
			throw new IllegalStateException("SseBroadcaster is closed");
		}
		return client;
	}

	/**
	 * Send an unnamed event with {@code data} to every client. Returns without waiting
	 * for any client.
	 * @param data the payload; several lines are allowed
	 * @return the number of clients the event was queued for
	 */
	public int broadcast(String data) {
		return broadcast(SseEvent.of(data));
	}

	/**
	 * Send {@code event} to every client. Returns without waiting for any client; a
	 * client that cannot take the event is disconnected as too slow.
	 * @param event the event
	 * @return the number of clients the event was queued for
	 */
	public int broadcast(SseEvent event) {
		if (event == null) {
			throw new IllegalArgumentException("event must not be null");
		}
		byte[] frame = EventEncoder.encode(event);
		int queued = 0;
		this.fanOut.lock();
		try {
			for (SseClient client : this.clients) {
				if (client.offer(frame)) {
					queued++;
				}
				else if (client.closeIfOpen()) {
					this.slowClientDisconnects.increment();
				}
			}
		}
		finally {
			this.fanOut.unlock();
		}
		return queued;
	}

	/**
	 * The number of connected clients.
	 * @return the client count
	 */
	public int clientCount() {
		return this.clients.size();
	}

	/**
	 * How many clients were disconnected so far because their queue was full.
	 * @return the count since this broadcaster was created
	 */
	public long slowClientDisconnects() {
		return this.slowClientDisconnects.sum();
	}

	/**
	 * Close every connected client; their streams end and browsers reconnect. New
	 * clients may still connect.
	 */
	public void disconnectAll() {
		for (SseClient client : this.clients) {
			client.close();
		}
	}

	/**
	 * Close every client and refuse new ones, for example on shutdown. Idempotent.
	 */
	@Override
	public void close() {
		this.closed = true;
		disconnectAll();
	}

	/**
	 * Whether {@link #close()} has been called.
	 * @return {@code true} once closed
	 */
	public boolean isClosed() {
		return this.closed;
	}

	void remove(SseClient client) {
		this.clients.remove(client);
	}

}
