package dev.ssebroadcast;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * The maximum lifetime of a stream, drawn for each client between three quarters of the
 * maximum and the maximum: streams opened in the same second (after a restart, say) do
 * not all reconnect in the same second again.
 */
final class Lifetime {

	private final long maxNanos;

	private final byte[] lastFrame;

	/**
	 * @param max the longest a stream lasts, or {@code null} for no limit
	 * @param retry the reconnection delay sent in the stream's last frame
	 */
	Lifetime(@Nullable Duration max, Duration retry) {
		this.maxNanos = (max != null) ? max.toNanos() : 0;
		this.lastFrame = EventEncoder.reconnect(retry);
	}

	/** Schedule the end of a client that just connected, if streams have a lifetime. */
	void start(SseClient client, StreamDeadlines deadlines) {
		if (this.maxNanos > 0) {
			deadlines.schedule(client, System.nanoTime() + draw(), this.lastFrame, DisconnectReason.LIFETIME_ENDED);
		}
	}

	long draw() {
		long min = this.maxNanos - this.maxNanos / 4;
		return ThreadLocalRandom.current().nextLong(min, this.maxNanos + 1);
	}

}
