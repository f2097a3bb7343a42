package dev.ssebroadcast.redis;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What the reader is doing, written by its thread and read by health checks and meters
 * at any time, without waiting for Redis.
 */
final class ReaderStatus {

	private final AtomicLong reconnects = new AtomicLong();

	private final AtomicLong resets = new AtomicLong();

	private final AtomicLong skipped = new AtomicLong();

	private volatile boolean connected;

	private volatile long connectedSince;

	private volatile @Nullable String error;

	private volatile @Nullable String delivered;

	private volatile long lagMicros;

	void connected() {
		this.connectedSince = System.nanoTime();
		this.connected = true;
		this.error = null;
	}

	void failed(@Nullable String error) {
		this.connected = false;
		this.error = error;
	}

	void delivered(String position, long lagMicros) {
		this.delivered = position;
		this.lagMicros = lagMicros;
	}

	void reconnected() {
		this.reconnects.incrementAndGet();
	}

	void reset() {
		this.resets.incrementAndGet();
	}

	void skippedOne() {
		this.skipped.incrementAndGet();
	}

	boolean isConnected() {
		return this.connected;
	}

	/** When the reader last became connected, as {@link System#nanoTime()}. */
	long connectedSince() {
		return this.connectedSince;
	}

	@Nullable String error() {
		return this.error;
	}

	@Nullable String delivered() {
		return this.delivered;
	}

	long lagMicros() {
		return this.lagMicros;
	}

	long reconnects() {
		return this.reconnects.get();
	}

	long resets() {
		return this.resets.get();
	}

	long skipped() {
		return this.skipped.get();
	}

}
