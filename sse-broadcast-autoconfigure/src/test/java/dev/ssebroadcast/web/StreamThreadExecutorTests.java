package dev.ssebroadcast.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Each stream's task runs directly on a virtual thread of its own, and Spring MVC can
 * still cancel it, without interrupting that thread.
 */
class StreamThreadExecutorTests {

	private final StreamThreadExecutor executor = new StreamThreadExecutor();

	@Test
	void runsTheTaskItselfOnANamedVirtualThread() throws Exception {
		AtomicReference<Thread> thread = new AtomicReference<>();
		AtomicReference<StackTraceElement[]> stack = new AtomicReference<>();
		Future<?> future = this.executor.submit(() -> {
			thread.set(Thread.currentThread());
			stack.set(new Throwable().getStackTrace());
		});
		future.get(5, TimeUnit.SECONDS);

		assertThat(future.isDone()).isTrue();
		assertThat(thread.get().isVirtual()).isTrue();
		assertThat(thread.get().getName()).startsWith("sse-stream-");
		// The task's caller is the thread's own entry point: nothing in between.
		assertThat(stack.get()[1].getClassName()).isEqualTo("java.lang.VirtualThread");
	}

	@Test
	void exceptionThatEndsTheTaskIsKeptFromTheDefaultHandler() throws Exception {
		List<Throwable> uncaught = new CopyOnWriteArrayList<>();
		Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> uncaught.add(ex));
		try {
			AtomicReference<Thread> thread = new AtomicReference<>();
			Runnable failing = () -> {
				thread.set(Thread.currentThread());
				throw new IllegalStateException("dispatch after the connection was aborted");
			};
			this.executor.submit(failing);
			await().until(() -> thread.get() != null);
			thread.get().join();
		}
		finally {
			Thread.setDefaultUncaughtExceptionHandler(previous);
		}
		assertThat(uncaught).isEmpty();
	}

	@Test
	void cancellingMarksTheTaskButLeavesItsThreadUninterrupted() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<Thread> thread = new AtomicReference<>();
		AtomicReference<Boolean> interrupted = new AtomicReference<>();
		Future<?> future = this.executor.submit(() -> {
			thread.set(Thread.currentThread());
			started.countDown();
			try {
				// Where Spring MVC's dispatch may be when it cancels: in something
				// an interrupt would break, such as a read from the application's jar.
				release.await();
				interrupted.set(false);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> future.get(10, TimeUnit.MILLISECONDS));
		assertThat(future.isDone()).isFalse();

		assertThat(future.cancel(true)).isTrue();

		assertThat(future.isCancelled()).isTrue();
		assertThat(future.isDone()).isTrue();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(future::get);
		assertThat(thread.get().isInterrupted()).isFalse();
		release.countDown();
		thread.get().join(Duration.ofSeconds(5));
		assertThat(interrupted.get()).as("interrupted while it ran").isFalse();
		assertThat(future.cancel(true)).as("cancelled once it ended").isFalse();
	}

}
