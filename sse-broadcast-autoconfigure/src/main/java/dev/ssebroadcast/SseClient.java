package dev.ssebroadcast;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.ssebroadcast.queue.ClientQueue;
import org.jspecify.annotations.Nullable;

/**
 * One connected client: its own bounded queue of encoded events, and the loop that
 * streams that queue to the client's connection.
 * <p>
 * Obtained from {@link SseBroadcaster#connect}. Exactly one thread calls
 * {@link #streamTo}, which blocks for as long as the client stays connected. Any thread
 * may call {@link #close()}.
 */
public final class SseClient {

	private final long id;

	private final SseSubscription subscription;

	private final OverflowPolicy overflow;

	private final Instant connectedAt = Instant.now();

	private final ClientQueue<EncodedEvent> queue;

	private final byte[] prelude;

	private final List<EncodedEvent> missed;

	private final Counters counters;

	private final SseDeliveryListener deliveryListener;

	private final ClientRegistry registry;

	private final LongAdder dropped = new LongAdder();

	private final AtomicBoolean streaming = new AtomicBoolean();

	private volatile long lastWriteNanos = System.nanoTime();

	private volatile boolean heartbeatDue;

	private final AtomicReference<@Nullable DisconnectReason> disconnectReason = new AtomicReference<>();

	SseClient(long id, SseSubscription subscription, OverflowPolicy overflow, int queueCapacity, byte[] prelude,
			List<EncodedEvent> missed, Counters counters, SseDeliveryListener deliveryListener,
			ClientRegistry registry) {
		this.id = id;
		this.subscription = subscription;
		this.overflow = overflow;
		this.queue = new ClientQueue<>(queueCapacity);
		this.prelude = prelude;
		this.missed = missed;
		this.counters = counters;
		this.deliveryListener = deliveryListener;
		this.registry = registry;
	}

	/**
	 * This client's id, unique within its broadcaster; see
	 * {@link SseBroadcaster#sendToClient}.
	 * @return the id
	 */
	public long id() {
		return this.id;
	}

	/**
	 * The name of the user this client belongs to.
	 * @return the user, or {@code null} if the client is anonymous
	 */
	public @Nullable String user() {
		return this.subscription.user();
	}

	/**
	 * The topics this client receives, besides what is broadcast to everyone.
	 * @return the topics, possibly none
	 */
	public Set<String> topics() {
		return this.subscription.topics();
	}

	/**
	 * What happens when this client's queue is full.
	 * @return the policy in force for this client
	 */
	public OverflowPolicy overflow() {
		return this.overflow;
	}

	/**
	 * When this client connected.
	 * @return the time
	 */
	public Instant connectedAt() {
		return this.connectedAt;
	}

	/**
	 * Whether this client still takes events.
	 * @return {@code false} once closed, by either side
	 */
	public boolean isOpen() {
		return this.disconnectReason.get() == null;
	}

	/**
	 * Why this client's stream ended.
	 * @return the reason, or {@code null} while it is open
	 */
	public @Nullable DisconnectReason disconnectReason() {
		return this.disconnectReason.get();
	}

	/**
	 * The number of events waiting to be written to this client.
	 * @return the queue's current size
	 */
	public int queued() {
		return this.queue.size();
	}

	/**
	 * How many events this client did not get because its queue was full.
	 * @return the count
	 */
	public long dropped() {
		return this.dropped.sum();
	}

	/**
	 * Write this client's events to {@code out} until the client is closed or its
	 * connection fails, then close it.
	 * <p>
	 * The stream opens with a comment (and the {@code retry} delay, if one is set),
	 * flushed at once so the response is committed, followed by any events the client
	 * missed since the id it reconnected with. Events that arrive together are written
	 * together and flushed once. A stream that stays idle for the heartbeat period gets
	 * a comment line (see {@link #heartbeatIfIdle}), which is how a connection that died
	 * silently is found. Events still queued when the client is closed are not written.
	 * @param out the client's response body
	 * @param flusher pushes what was written to the network
	 * @throws IllegalStateException if this client is already being streamed
	 */
	public void streamTo(OutputStream out, Flushable flusher) {
		if (!this.streaming.compareAndSet(false, true)) {
			throw new IllegalStateException("Client " + this.id + " is already streaming");
		}
		DisconnectReason reason = DisconnectReason.CLOSED;
		try {
			out.write(this.prelude);
			for (EncodedEvent event : this.missed) {
				out.write(event.frame());
			}
			flusher.flush();
			delivered(this.missed);
			List<EncodedEvent> batch = new ArrayList<>();
			while (true) {
				EncodedEvent event = this.queue.take();
				if (!isOpen()) {
					return;
				}
				if (event == null) {
					if (!this.heartbeatDue) {
						continue;
					}
					this.heartbeatDue = false;
					out.write(EventEncoder.HEARTBEAT);
				}
				// One list per client, reused, so a batch allocates nothing.
				while (event != null) {
					out.write(event.frame());
					batch.add(event);
					event = this.queue.poll();
				}
				flusher.flush();
				this.lastWriteNanos = System.nanoTime();
				delivered(batch);
				batch.clear();
			}
		}
		catch (IOException ex) {
			reason = DisconnectReason.WRITE_ERROR;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			close(reason);
		}
	}

	private void delivered(List<EncodedEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		this.counters.delivered.add(events.size());
		this.counters.largestBatch.accumulate(events.size());
		long now = System.nanoTime();
		for (EncodedEvent event : events) {
			this.deliveryListener.delivered(now - event.publishedNanos());
		}
	}

	/**
	 * Stop this client: its stream ends and the broadcaster forgets it. Idempotent.
	 */
	public void close() {
		close(DisconnectReason.CLOSED);
	}

	/**
	 * Stop this client, recording why. Only the first close counts.
	 * @param reason why the client is closed
	 */
	public void close(DisconnectReason reason) {
		if (this.disconnectReason.compareAndSet(null, reason)) {
			this.queue.close();
			this.registry.remove(this);
			this.counters.disconnected(reason);
		}
	}

	/**
	 * Ask the streaming thread to write a heartbeat if nothing was written for
	 * {@code periodNanos}. Called for every client by the broadcaster's one heartbeat
	 * task, so that idle streams need no timer of their own.
	 */
	void heartbeatIfIdle(long nowNanos, long periodNanos) {
		if (nowNanos - this.lastWriteNanos >= periodNanos) {
			this.heartbeatDue = true;
			this.queue.wake();
		}
	}

	/**
	 * Queue {@code event}, applying the overflow policy if the queue is full. Never
	 * blocks.
	 * @return whether the event was queued
	 */
	boolean offer(EncodedEvent event) {
		if (this.queue.offer(event)) {
			return true;
		}
		if (!isOpen()) {
			return false;
		}
		return switch (this.overflow) {
			case DISCONNECT -> {
				close(DisconnectReason.OVERFLOW);
				yield false;
			}
			case DROP_NEWEST -> {
				drop();
				yield false;
			}
			case DROP_OLDEST -> makeRoomFor(event);
		};
	}

	private boolean makeRoomFor(EncodedEvent event) {
		while (!this.queue.offer(event)) {
			if (!isOpen()) {
				return false;
			}
			if (this.queue.poll() != null) {
				drop();
			}
		}
		return true;
	}

	private void drop() {
		this.dropped.increment();
		this.counters.dropped.increment();
	}

	@Override
	public String toString() {
		return "SseClient[id=" + this.id + ", user=" + user() + ", topics=" + topics() + ", open=" + isOpen() + "]";
	}

}
