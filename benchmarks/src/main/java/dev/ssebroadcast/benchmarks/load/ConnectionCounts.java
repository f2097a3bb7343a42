package dev.ssebroadcast.benchmarks.load;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How many streams are open, and how many may still be connecting: the load tool keeps
 * the server's accept backlog from overflowing, since a dropped SYN costs a second and
 * would say nothing about the server.
 */
final class ConnectionCounts {

	private final Semaphore connecting;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger lost = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicReference<String> lastFailure = new AtomicReference<>("");

	private volatile long lastConnectedNanos;

	ConnectionCounts(int maxConnecting) {
		this.connecting = new Semaphore(maxConnecting);
	}

	boolean startConnecting(long timeoutMillis) throws InterruptedException {
		return this.connecting.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
	}

	void connected() {
		this.lastConnectedNanos = System.nanoTime();
		this.open.incrementAndGet();
		this.connecting.release();
	}

	void failed(String reason) {
		this.failed.incrementAndGet();
		this.lastFailure.set(reason);
	}

	void closed(boolean wasConnected) {
		if (wasConnected) {
			this.open.decrementAndGet();
			this.lost.incrementAndGet();
		}
		else {
			this.connecting.release();
		}
	}

	int open() {
		return this.open.get();
	}

	/** When the last stream opened, by {@link System#nanoTime()}. */
	long lastConnectedNanos() {
		return this.lastConnectedNanos;
	}

	/** Streams that were open and then ended, by either side. */
	int ended() {
		return this.lost.get();
	}

	int failed() {
		return this.failed.get();
	}

	String lastFailure() {
		return this.lastFailure.get();
	}

}
