package dev.ssebroadcast;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one task that finds idle streams and has them write a heartbeat: a dead
 * connection is only noticed when a write to it fails. It runs on a virtual thread while
 * any client is connected, looking every quarter period, so an idle client hears from
 * the server between one and one and a quarter heartbeat periods after its last write.
 */
final class Heartbeat implements Runnable {

	private final ClientRegistry clients;

	private final long periodNanos;

	private final Duration tick;

	private final AtomicBoolean running = new AtomicBoolean();

	Heartbeat(ClientRegistry clients, Duration period) {
		this.clients = clients;
		this.periodNanos = period.toNanos();
		this.tick = period.dividedBy(4);
	}

	/** Start the task unless it runs already; called whenever a client connects. */
	void ensureRunning() {
		if (this.running.compareAndSet(false, true)) {
			Thread.ofVirtual().name("sse-heartbeat").start(this);
		}
	}

	@Override
	public void run() {
		try {
			do {
				Thread.sleep(this.tick);
				long now = System.nanoTime();
				for (SseClient client : this.clients.all()) {
					client.heartbeatIfIdle(now, this.periodNanos);
				}
			}
			while (keepRunning());
		}
		catch (InterruptedException ex) {
			this.running.set(false);
			Thread.currentThread().interrupt();
		}
	}

	// Stop when no client is left, unless one connected meanwhile and found us running.
	private boolean keepRunning() {
		if (this.clients.size() > 0) {
			return true;
		}
		this.running.set(false);
		return this.clients.size() > 0 && this.running.compareAndSet(false, true);
	}

}
