package dev.ssebroadcast.web;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Starts each stream on a virtual thread of its own that runs Spring MVC's task
 * directly, with no {@code FutureTask} around it: an idle stream's parked thread keeps
 * its whole stack, so every frame under the stream's loop is memory held per client.
 * <p>
 * Cancelling the {@link Future} it returns does not interrupt the thread. Spring MVC
 * cancels when the request fails, after the endpoint's own error handler has closed the
 * client, which ends the stream; by then the thread may be past the stream, in Spring
 * MVC's dispatch of the result, loading a class. An interrupt during a read from the
 * application's jar closes that jar's file channel for every thread, and on Java 25 it
 * has deadlocked the interrupting request against the class loader, with every later
 * request waiting behind them.
 */
final class StreamThreadExecutor implements AsyncTaskExecutor {

	private static final Log logger = LogFactory.getLog(StreamThreadExecutor.class);

	// What a FutureTask would keep to itself: Spring MVC's dispatch at the end of a
	// stream whose connection was aborted may fail, and nobody waits for the result.
	private static final Thread.UncaughtExceptionHandler ENDED = (thread, ex) -> logger
		.debug("Stream thread " + thread.getName() + " ended with an exception", ex);

	private final ThreadFactory threads = Thread.ofVirtual()
		.name("sse-stream-", 0)
		.uncaughtExceptionHandler(ENDED)
		.factory();

	@Override
	public void execute(Runnable task) {
		this.threads.newThread(task).start();
	}

	@Override
	public Future<?> submit(Runnable task) {
		Thread thread = this.threads.newThread(task);
		thread.start();
		return new StreamFuture(thread);
	}

	/**
	 * A stream's thread as a {@link Future}: done when the thread ends or is cancelled;
	 * cancelling only marks it so.
	 */
	private static final class StreamFuture implements Future<@Nullable Object> {

		private final Thread thread;

		private volatile boolean cancelled;

		StreamFuture(Thread thread) {
			this.thread = thread;
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			if (!this.thread.isAlive()) {
				return false;
			}
			this.cancelled = true;
			return true;
		}

		@Override
		public boolean isCancelled() {
			return this.cancelled;
		}

		@Override
		public boolean isDone() {
			return this.cancelled || !this.thread.isAlive();
		}

		@Override
		public @Nullable Object get() throws InterruptedException, ExecutionException {
			requireNotCancelled();
			this.thread.join();
			requireNotCancelled();
			return null;
		}

		@Override
		public @Nullable Object get(long timeout, TimeUnit unit)
				throws InterruptedException, ExecutionException, TimeoutException {
			requireNotCancelled();
			if (!this.thread.join(Duration.ofNanos(unit.toNanos(timeout)))) {
				requireNotCancelled();
				throw new TimeoutException();
			}
			requireNotCancelled();
			return null;
		}

		private void requireNotCancelled() {
			if (this.cancelled) {
				throw new CancellationException();
			}
		}

	}

}
