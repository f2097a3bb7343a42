package dev.ssebroadcast;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ssebroadcast.queue.ClientQueue;

/**
 * One connected client: its own bounded queue of encoded events, and the loop that
 * streams that queue to the client's connection.
 * <p>
 * Obtained from {@link SseBroadcaster#connect()}. Exactly one thread calls
 * {@link #streamTo}, which blocks for as long as the client stays connected. Any thread
 * may call {@link #close()}.
 */
public final class SseClient {

	private final long id;

	private final ClientQueue<byte[]> queue;

	private final Duration heartbeat;

	private final SseBroadcaster broadcaster;

	private final AtomicBoolean streaming = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	SseClient(long id, int queueCapacity, Duration heartbeat, SseBroadcaster broadcaster) {
		this.id = id;
		this.queue = new ClientQueue<>(queueCapacity);
		this.heartbeat = heartbeat;
		this.broadcaster = broadcaster;
	}

	/**
	 * This client's id, unique within its broadcaster.
	 * @return the id
	 */
	public long id() {
		return this.id;
	}

	/**
	 * Whether this client still takes events.
	 * @return {@code false} once closed, by either side
	 */
	public boolean isOpen() {
		return !this.closed.get();
	}

	/**
	 * The number of events waiting to be written to this client.
	 * @return the queue's current size
	 */
	public int queued() {
		return this.queue.size();
	}

	/**
	 * Write this client's events to {@code out} until the client is closed or its
	 * connection fails, then close it.
	 * <p>
	 * A comment is written and flushed first, so the response is committed at once.
	 * Events that arrive together are written together and flushed once. A stream that
	 * stays idle for the heartbeat period gets a comment line, which is how a connection
	 * that died silently is found. Events still queued when the client is closed are not
	 * written.
	 * @param out the client's response body
	 * @param flusher pushes what was written to the network
	 * @throws IllegalStateException if this client is already being streamed
	 */
	public void streamTo(OutputStream out, Flushable flusher) {
		if (!this.streaming.compareAndSet(false, true)) {
			throw new IllegalStateException("Client " + this.id + " is already streaming");
		}
		try {
			out.write(EventEncoder.CONNECTED);
			flusher.flush();
			while (true) {
				byte[] frame = this.queue.take(this.heartbeat);
				if (this.closed.get()) {
					return;
				}
				if (frame == null) {
					out.write(EventEncoder.HEARTBEAT);
				}
				while (frame != null) {
					out.write(frame);
					frame = this.queue.poll();
				}
				flusher.flush();
			}
		}
		catch (IOException ex) {
			// The client went away; closing below removes it.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			close();
		}
	}

	/**
	 * Stop this client: its stream ends and the broadcaster forgets it. Idempotent.
	 */
	public void close() {
		closeIfOpen();
	}

	boolean closeIfOpen() {
		if (!this.closed.compareAndSet(false, true)) {
			return false;
		}
		this.queue.close();
		this.broadcaster.remove(this);
		return true;
	}

	boolean offer(byte[] frame) {
		return this.queue.offer(frame);
	}

	@Override
	public String toString() {
		return "SseClient[id=" + this.id + ", open=" + isOpen() + ", queued=" + queued() + "]";
	}

}
