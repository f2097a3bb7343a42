package dev.ssebroadcast;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer that ends streams at a deadline: when the authentication that opened
 * them expires, or when they reach their maximum lifetime. Streams without a deadline
 * cost it nothing, and publishing never touches it.
 * <p>
 * Each client has at most one deadline, the earliest it was given; it is forgotten when
 * the client closes, so that clients that leave early hold no memory here.
 */
final class StreamDeadlines {

	// One thread for every deadline; virtual, so that an idle timer costs no platform thread.
	private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
			Thread.ofVirtual().name("sse-deadlines").factory());

	private final Map<Long, Deadline> deadlines = new ConcurrentHashMap<>();

	StreamDeadlines() {
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * End {@code client}'s stream at {@code atNanos} (as {@link System#nanoTime()}) with
	 * {@code lastFrame}, unless it has an earlier deadline already.
	 */
	void schedule(SseClient client, long atNanos, byte[] lastFrame, DisconnectReason reason) {
		try {
			scheduleEarliest(client, atNanos, lastFrame, reason);
		}
		catch (RejectedExecutionException ex) {
			// Stopped: the broadcaster is closing, and closes every client itself.
			return;
		}
		// A client that closed meanwhile was not there to be forgotten.
		if (!client.isOpen()) {
			cancel(client.id());
		}
	}

	private void scheduleEarliest(SseClient client, long atNanos, byte[] lastFrame, DisconnectReason reason) {
		this.deadlines.compute(client.id(), (id, earlier) -> {
			if (earlier != null && earlier.atNanos() - atNanos <= 0) {
				return earlier;
			}
			if (earlier != null) {
				earlier.task().cancel(false);
			}
			long delay = atNanos - System.nanoTime();
			return new Deadline(atNanos, this.timer.schedule(() -> due(client, atNanos, lastFrame, reason), delay,
					TimeUnit.NANOSECONDS));
		});
	}

	/** Forget the deadline of a client that closed. */
	void cancel(long clientId) {
		Deadline deadline = this.deadlines.remove(clientId);
		if (deadline != null) {
			deadline.task().cancel(false);
		}
	}

	/** Drop every deadline and end the timer's thread. */
	void stop() {
		this.timer.shutdownNow();
		this.deadlines.clear();
	}

	/** The number of clients with a deadline; for tests. */
	int size() {
		return this.deadlines.size();
	}

	private void due(SseClient client, long atNanos, byte[] lastFrame, DisconnectReason reason) {
		// Unless an earlier deadline replaced this one as it ran.
		this.deadlines.computeIfPresent(client.id(),
				(id, deadline) -> (deadline.atNanos() == atNanos) ? null : deadline);
		client.end(lastFrame, reason);
	}

	private record Deadline(long atNanos, ScheduledFuture<?> task) {

	}

}
