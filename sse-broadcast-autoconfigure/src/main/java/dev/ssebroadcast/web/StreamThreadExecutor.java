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
 * The {@link Future} it returns only lets Spring MVC cancel the stream by interrupting
 * its thread.
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
	 * A stream's thread as a {@link Future}: done when the thread ends, cancelled by
	 * interrupting it.
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
			if (mayInterruptIfRunning) {
				this.thread.interrupt();
			}
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
			this.thread.join();
			return result();
		}

		@Override
		public @Nullable Object get(long timeout, TimeUnit unit)
				throws InterruptedException, ExecutionException, TimeoutException {
			if (!this.thread.join(Duration.ofNanos(unit.toNanos(timeout)))) {
				throw new TimeoutException();
			}
			return result();
		}

		private @Nullable Object result() {
			if (this.cancelled) {
				throw new CancellationException();
			}
			return null;
		}

	}

}
