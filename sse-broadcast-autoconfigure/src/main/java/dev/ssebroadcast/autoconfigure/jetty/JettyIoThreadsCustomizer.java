package dev.ssebroadcast.autoconfigure.jetty;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;

import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Gives Jetty a pool of platform threads for its acceptors and selectors that runs
 * requests on virtual threads, in place of the all-virtual pool Spring Boot sets when
 * virtual threads are enabled.
 * <p>
 * On the all-virtual pool, Jetty's selector is itself a virtual thread. A broadcast wakes
 * the virtual thread of every stream at once, and the selector then waits behind them for
 * a carrier, and with it new connections and requests, the publishing request included.
 * On platform threads the selector runs at once, and request handling still takes a
 * virtual thread each.
 */
public class JettyIoThreadsCustomizer implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory>, Ordered {

	private static final int DEFAULT_MAX_THREADS = 200;

	private static final int DEFAULT_MIN_THREADS = 8;

	private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);

	private final JettyServerProperties.Threads threads;

	/**
	 * Create the customizer.
	 * @param threads the {@code server.jetty.threads.*} settings, applied to the platform
	 * threads
	 */
	public JettyIoThreadsCustomizer(JettyServerProperties.Threads threads) {
		this.threads = threads;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		int max = (this.threads.getMax() != null) ? this.threads.getMax() : DEFAULT_MAX_THREADS;
		int min = (this.threads.getMin() != null) ? this.threads.getMin() : DEFAULT_MIN_THREADS;
		Duration idle = (this.threads.getIdleTimeout() != null) ? this.threads.getIdleTimeout() : DEFAULT_IDLE_TIMEOUT;
		QueuedThreadPool pool = new QueuedThreadPool(max, min, (int) idle.toMillis(), queue());
		pool.setName("jetty-");
		pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("jetty-vt-"));
		factory.setThreadPool(pool);
	}

	// As Spring Boot's own pool: Jetty's default queue unless a capacity is set.
	private @Nullable BlockingQueue<Runnable> queue() {
		Integer capacity = this.threads.getMaxQueueCapacity();
		if (capacity == null) {
			return null;
		}
		return (capacity == 0) ? new SynchronousQueue<>() : new BlockingArrayQueue<>(capacity);
	}

	/**
	 * After Spring Boot's own customizer, which sets the all-virtual pool.
	 */
	@Override
	public int getOrder() {
		return 10;
	}

}
