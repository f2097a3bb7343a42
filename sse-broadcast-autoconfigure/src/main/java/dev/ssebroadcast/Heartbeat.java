package dev.ssebroadcast;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;

/**
 * The one task that keeps every stream in time: it has idle streams write a heartbeat,
 * so that proxies keep them open and a connection the client closed is noticed (only a
 * failing write shows it), and it closes streams whose write is overdue. It also lets
 * the history drop aged events. It runs on a virtual thread while any client is
 * connected or any event is kept, so that streams need no timer of their own.
 * <p>
 * It ticks every quarter of the heartbeat period or of the write timeout, whichever is
 * shorter. A stream silent for all but one tick of the period is asked for the
 * heartbeat's comment line, and one tick later for the blank line that ends it: the
 * stream is never silent for longer than the period, and a closed connection fails the
 * second write at the latest, within one and a quarter periods.
 */
final class Heartbeat implements Runnable {

	private final ClientRegistry clients;

	private final Duration tick;

	private final long quietNanos;

	private final long writeTimeoutNanos;

	private final AtomicBoolean running = new AtomicBoolean();

	private final LongPredicate onTick;

	private volatile boolean stopped;

	/**
	 * @param onTick also called on every tick, with {@link System#nanoTime()}; returns
	 * whether it needs further ticks even when no client is connected
	 */
	Heartbeat(ClientRegistry clients, Duration period, Duration writeTimeout, LongPredicate onTick) {
		this.clients = clients;
		this.onTick = onTick;
		this.tick = ((period.compareTo(writeTimeout) < 0) ? period : writeTimeout).dividedBy(4);
		this.quietNanos = period.minus(this.tick).toNanos();
		this.writeTimeoutNanos = writeTimeout.toNanos();
	}

	/**
	 * Start the task unless it runs already; called whenever a client connects or an
	 * event is kept.
	 */
	void ensureRunning() {
		if (!this.stopped && !this.running.get() && this.running.compareAndSet(false, true)) {
			Thread.ofVirtual().name("sse-heartbeat").start(this);
		}
	}

	/** End the task for good, for example when the broadcaster closes. */
	void stop() {
		this.stopped = true;
	}

	@Override
	public void run() {
		boolean busy;
		long now;
		try {
			do {
				Thread.sleep(this.tick);
				now = System.nanoTime();
				for (SseClient client : this.clients.all()) {
					client.onTick(now, this.quietNanos, this.writeTimeoutNanos);
				}
				busy = this.onTick.test(now);
			}
			while (!this.stopped && keepRunning(busy, now));
		}
		catch (InterruptedException ex) {
			this.running.set(false);
			Thread.currentThread().interrupt();
		}
	}

	// Stop when there is nothing left to do, unless work came meanwhile and found us
	// running.
	private boolean keepRunning(boolean busy, long now) {
		if (busy || this.clients.size() > 0) {
			return true;
		}
		this.running.set(false);
		return (this.clients.size() > 0 || this.onTick.test(now)) && this.running.compareAndSet(false, true);
	}

}
