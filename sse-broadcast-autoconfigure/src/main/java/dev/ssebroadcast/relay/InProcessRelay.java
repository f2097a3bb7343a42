package dev.ssebroadcast.relay;

import java.security.SecureRandom;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The default relay: delivers each event straight to this instance's fan-out, on the
 * publishing thread, numbered in an epoch of its own. The epoch is random, so that ids
 * from an earlier run of the application are never mistaken for this run's.
 */
public final class InProcessRelay implements SseRelay {

	// Numbering and delivering happen under one lock: all clients see one order.
	private final ReentrantLock order = new ReentrantLock();

	private @Nullable SseFanOut fanOut;

	private Position position = new Position(newEpoch(), 0);

	@Override
	public void start(SseFanOut fanOut) {
		this.fanOut = fanOut;
	}

	@Override
	public int publish(RelayedEvent event) {
		SseFanOut fanOut = this.fanOut;
		if (fanOut == null) {
			throw new IllegalStateException("InProcessRelay is not started");
		}
		this.order.lock();
		try {
			this.position = this.position.next();
			return fanOut.deliver(event, this.position);
		}
		finally {
			this.order.unlock();
		}
	}

	@Override
	public void stop() {
	}

	/**
	 * A random epoch of up to eight letters and digits.
	 * @return the epoch
	 */
	public static String newEpoch() {
		return Long.toString(new SecureRandom().nextLong() & 0xFF_FFFF_FFFFL, Character.MAX_RADIX);
	}

}
