package dev.ssebroadcast.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import dev.ssebroadcast.redis.WireFormat.Appended;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.SseRelayException;
import org.jspecify.annotations.Nullable;

/**
 * Lets concurrent publishes share round trips to Redis. A publishing thread puts its
 * event in line and waits for its own outcome, at most until its own deadline. Whenever
 * fewer than {@link #IN_FLIGHT} batches are on their way, the events in line leave
 * together as one batch (at most {@link #MAX_EVENTS} events and about
 * {@link #MAX_BYTES} bytes), so that a publisher alone sends its event at once, and under
 * load each batch carries what arrived while the others were on their way.
 * <p>
 * Batches reach the connection in the order their events were put in line: an
 * instance's events keep that order. An event still in line at its deadline leaves the
 * line and its caller is told it was not published; an event sent and not answered by
 * then may have been. A batch that none of its callers waits for any more is cancelled,
 * so that the next one can leave. Thread-safe.
 */
final class PublishBatcher {

	/** Most events one batch carries. */
	static final int MAX_EVENTS = 128;

	/** Bytes of events after which a batch takes no further one; a larger event goes alone. */
	static final long MAX_BYTES = 1024 * 1024;

	/** Most batches on their way at once: Redis runs one while the answer of another travels. */
	static final int IN_FLIGHT = 2;

	private final Sender sender;

	private final ReentrantLock lock = new ReentrantLock();

	// Held from taking a batch out of the line until it is on the connection, so that
	// batches reach Redis in line order.
	private final ReentrantLock dispatching = new ReentrantLock();

	// Guarded by the lock, as are the two fields after it.
	private final ArrayDeque<Publish> line = new ArrayDeque<>();

	// Batches being sent or waiting for their answer: more wait for one of them.
	private int sending;

	private int holds;

	PublishBatcher(Sender sender) {
		this.sender = sender;
	}

	/**
	 * Send {@code event} with whatever else is in line, and wait for its outcome.
	 * @param deadline {@link System#nanoTime()} after which its caller waits no more
	 * @return what Redis did with it
	 * @throws SseRelayException what the sender or the deadline made of it
	 */
	Appended publish(RelayedEvent event, long deadline) {
		Publish publish = new Publish(event, deadline);
		boolean send;
		this.lock.lock();
		try {
			this.line.add(publish);
			send = this.sending < IN_FLIGHT && this.holds == 0;
			this.sending += send ? 1 : 0;
		}
		finally {
			this.lock.unlock();
		}
		if (send) {
			sendNext();
		}
		return publish.await();
	}

	/** How many events wait in line, not yet sent. */
	int waiting() {
		this.lock.lock();
		try {
			return this.line.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Keep events in line, no batch leaving, until the handle is closed: for tests that
	 * need a batch of a known content.
	 */
	AutoCloseable hold() {
		this.lock.lock();
		try {
			this.holds++;
		}
		finally {
			this.lock.unlock();
		}
		return () -> {
			this.lock.lock();
			try {
				this.holds--;
			}
			finally {
				this.lock.unlock();
			}
			sendNextIfAny();
		};
	}

	private void sendNext() {
		Batch batch;
		CompletableFuture<?> command;
		this.dispatching.lock();
		try {
			batch = nextBatch();
			if (batch == null) {
				return;
			}
			try {
				command = this.sender.send(batch.events);
			}
			catch (RuntimeException ex) {
				batch.events.forEach((publish) -> publish.outcome.completeExceptionally(ex));
				command = CompletableFuture.completedFuture(null);
			}
		}
		finally {
			this.dispatching.unlock();
		}
		batch.sent(command);
		command.whenComplete((ignored, failure) -> {
			this.lock.lock();
			try {
				this.sending--;
			}
			finally {
				this.lock.unlock();
			}
			sendNextIfAny();
		});
	}

	/**
	 * Start the next batch if events wait and none is on its way: at once if it can be
	 * sent without blocking, else on a thread of its own, since connecting may block and
	 * the caller may be the client's I/O thread.
	 */
	private void sendNextIfAny() {
		boolean send;
		this.lock.lock();
		try {
			send = this.sending < IN_FLIGHT && this.holds == 0 && !this.line.isEmpty();
			this.sending += send ? 1 : 0;
		}
		finally {
			this.lock.unlock();
		}
		if (send && this.sender.isReady()) {
			sendNext();
		}
		else if (send) {
			Thread.ofVirtual().name("sse-redis-publish").start(this::sendNext);
		}
	}

	private @Nullable Batch nextBatch() {
		List<Publish> events = new ArrayList<>();
		long bytes = 0;
		this.lock.lock();
		try {
			while (events.size() < MAX_EVENTS && !this.line.isEmpty()) {
				long size = WireFormat.publishBytes(this.line.peek().event);
				if (!events.isEmpty() && bytes + size > MAX_BYTES) {
					break;
				}
				events.add(this.line.poll());
				bytes += size;
			}
			if (events.isEmpty()) {
				this.sending--;
				return null;
			}
			Batch batch = new Batch(events);
			events.forEach((publish) -> publish.batch = batch);
			return batch;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Events that left the line together, and the command that carries them.
	 */
	private static final class Batch {

		private final List<Publish> events;

		private volatile @Nullable CompletableFuture<?> command;

		private Batch(List<Publish> events) {
			this.events = events;
		}

		void sent(CompletableFuture<?> command) {
			this.command = command;
			cancelIfAbandoned();
		}

		/** When no caller waits for this batch any more, the next should not wait for it either. */
		void cancelIfAbandoned() {
			CompletableFuture<?> command = this.command;
			if (command != null && !command.isDone()
					&& this.events.stream().allMatch((publish) -> publish.outcome.isDone())) {
				command.cancel(true);
			}
		}

	}

	/**
	 * Sends batches and names the failures of events that wait too long.
	 */
	interface Sender {

		/**
		 * Whether {@link #send} would return without blocking: it has a connection.
		 */
		boolean isReady();

		/**
		 * Send the events of {@code batch} in order and complete each one's outcome when
		 * the answer comes or the command fails.
		 * @return the command: done when it is answered or failed, and cancelled when
		 * no caller waits for it any more
		 */
		CompletableFuture<?> send(List<Publish> batch);

		/**
		 * What to tell the caller of an event that was still in line, never sent, when
		 * its deadline passed or it was interrupted.
		 */
		SseRelayException notSent(RelayedEvent event, boolean interrupted);

		/**
		 * What to tell the caller of an event that was sent and not answered when its
		 * deadline passed or it was interrupted.
		 */
		SseRelayException unanswered(RelayedEvent event, boolean interrupted);

	}

	/**
	 * One caller's event and its outcome.
	 */
	final class Publish {

		private final RelayedEvent event;

		private final long deadline;

		private final CompletableFuture<Appended> outcome = new CompletableFuture<>();

		// Set under the batcher's lock when it leaves the line.
		private @Nullable Batch batch;

		private Publish(RelayedEvent event, long deadline) {
			this.event = event;
			this.deadline = deadline;
		}

		RelayedEvent event() {
			return this.event;
		}

		long deadline() {
			return this.deadline;
		}

		/** Tell the caller what Redis did with its event, unless it gave up waiting. */
		void complete(Appended appended) {
			this.outcome.complete(appended);
		}

		/** Tell the caller its publish failed, unless it gave up waiting. */
		void fail(SseRelayException failure) {
			this.outcome.completeExceptionally(failure);
		}

		private Appended await() {
			boolean interrupted = false;
			try {
				this.outcome.get(Math.max(0, this.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				giveUp(false);
			}
			catch (InterruptedException ex) {
				interrupted = true;
				giveUp(true);
			}
			catch (ExecutionException ex) {
				// Thrown below.
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			try {
				return this.outcome.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException failure) {
					throw failure;
				}
				throw ex;
			}
		}

		private void giveUp(boolean interrupted) {
			boolean inLine;
			PublishBatcher.this.lock.lock();
			try {
				inLine = PublishBatcher.this.line.remove(this);
			}
			finally {
				PublishBatcher.this.lock.unlock();
			}
			if (inLine) {
				this.outcome.completeExceptionally(PublishBatcher.this.sender.notSent(this.event, interrupted));
				return;
			}
			// It was sent, or is being sent: if the answer came meanwhile, it wins.
			this.outcome.completeExceptionally(PublishBatcher.this.sender.unanswered(this.event, interrupted));
			Batch batch = this.batch;
			if (batch != null) {
				batch.cancelIfAbandoned();
			}
		}

	}

}
