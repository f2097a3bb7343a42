package dev.ssebroadcast;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;

/**
 * The one task that finds idle streams and has them write a heartbeat: a dead
 * connection is only noticed when a write to it fails. It also lets the history drop
 * aged events. It runs on a virtual thread while any client is connected or any event
 * is kept, looking every quarter period, so an idle client hears from
 * the server between one and one and a quarter heartbeat periods after its last write.
 */
final class Heartbeat implements Runnable {

	private final ClientRegistry clients;

	private final long periodNanos;

	private final Duration tick;

	private final AtomicBoolean running = new AtomicBoolean();

	private final LongPredicate onTick;

	private volatile boolean stopped;

	/**
	 * @param onTick also called on every tick, with {@link System#nanoTime()}; returns
	 * whether it needs further ticks even when no client is connected
	 */
	Heartbeat(ClientRegistry clients, Duration period, LongPredicate onTick) {
		this.clients = clients;
		this.onTick = onTick;
		this.periodNanos = period.toNanos();
		this.tick = period.dividedBy(4);
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
					client.heartbeatIfIdle(now, this.periodNanos);
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
