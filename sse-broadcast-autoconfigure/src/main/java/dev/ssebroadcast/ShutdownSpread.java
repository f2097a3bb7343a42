package dev.ssebroadcast;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a closing broadcaster ends its streams: each writes what is queued for it, then a
 * {@code retry} delay of its own, drawn at random below the spread, and ends; its
 * browser reconnects after that delay with the id of the last event it got. The clients
 * of an instance that stops thereby reach the other instances spread over the window
 * rather than all in the same second, and miss nothing that the history holds.
 * <p>
 * Each client's last frame is encoded for it alone, once, on the closing thread: this is
 * not the publishing path.
 */
final class ShutdownSpread {

	// How often closing looks whether every stream has ended, and wakes those that have
	// not again: a stream that began to wait just as it was asked to end misses that
	// first wake-up.
	private static final Duration REWAKE = Duration.ofMillis(50);

	private final long spreadMillis;

	private final long graceNanos;

	/**
	 * @param spread the window the reconnection delays are drawn from; zero for none,
	 * when streams end at once without a {@code retry}
	 * @param grace how long closing waits for the streams to write their end
	 */
	ShutdownSpread(Duration spread, Duration grace) {
		this.spreadMillis = spread.toMillis();
		this.graceNanos = grace.toNanos();
	}

	/**
	 * Ask every client to end with a delay of its own, and wait until all are gone or
	 * the grace has passed. Returns at once if there is no spread. Clients still there
	 * afterwards are the caller's to close.
	 */
	void endAll(ClientRegistry clients) {
		if (this.spreadMillis == 0) {
			return;
		}
		for (SseClient client : clients.all()) {
			client.endOnShutdown(EventEncoder.reconnect(draw()));
		}
		long deadline = System.nanoTime() + this.graceNanos;
		try {
			while (clients.size() > 0 && deadline - System.nanoTime() > 0) {
				Thread.sleep(REWAKE);
				for (SseClient client : clients.all()) {
					client.wakeToEnd();
				}
			}
		}
		catch (InterruptedException ex) {
			// Closing goes on without waiting: the caller closes whoever is left.
			Thread.currentThread().interrupt();
		}
	}

	/** A reconnection delay in [0, spread). */
	Duration draw() {
		return Duration.ofMillis(ThreadLocalRandom.current().nextLong(this.spreadMillis));
	}

}
