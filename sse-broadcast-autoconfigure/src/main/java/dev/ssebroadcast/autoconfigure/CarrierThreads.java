package dev.ssebroadcast.autoconfigure;

import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;

/**
 * Raises the carrier threads of the JDK's virtual-thread scheduler to at least
 * {@code sse.broadcast.min-carrier-threads} when the application starts.
 * <p>
 * The scheduler runs one carrier per core, and a virtual thread keeps its carrier until
 * it blocks: on one or two cores, as many busy request threads hold up every stream's
 * writes and heartbeats. With more carriers than cores the operating system shares the
 * cores among them instead, and a server that shares its cores with other processes gets
 * a larger part of them. On four or more cores the JDK's count is kept.
 * <p>
 * Uses the scheduler's management interface (Java 24 or later); on an older JDK, or when
 * {@value #JDK_PROPERTY} is set, it changes nothing. Like that option, the raise lasts
 * as long as the JVM: the scheduler is the JVM's, and whatever else runs in it keeps
 * what it was given.
 */
public final class CarrierThreads implements InitializingBean {

	/**
	 * The default minimum: on one or two cores, a few busy threads still leave carriers
	 * for the streams.
	 */
	public static final int DEFAULT_MINIMUM = 4;

	static final String JDK_PROPERTY = "jdk.virtualThreadScheduler.parallelism";

	private static final String SCHEDULER_INTERFACE = "jdk.management.VirtualThreadSchedulerMXBean";

	private static final Log logger = LogFactory.getLog(CarrierThreads.class);

	private final int minimum;

	/**
	 * Create the setting.
	 * @param minimum the fewest carriers to run; 0 leaves the JDK's count
	 * @throws IllegalArgumentException if {@code minimum} is negative
	 */
	public CarrierThreads(int minimum) {
		if (minimum < 0) {
			throw new IllegalArgumentException("minCarrierThreads must be 0 or more, but was " + minimum);
		}
		this.minimum = minimum;
	}

	@Override
	public void afterPropertiesSet() {
		// The JDK's own count is one per core: where that is enough, the management
		// interface is not even looked up, which takes tens of milliseconds at start-up.
		if (this.minimum <= Runtime.getRuntime().availableProcessors() || System.getProperty(JDK_PROPERTY) != null) {
			return;
		}
		Scheduler scheduler = Scheduler.find();
		if (scheduler == null) {
			return;
		}
		synchronized (CarrierThreads.class) {
			int current = scheduler.parallelism();
			if (current >= this.minimum) {
				return;
			}
			try {
				scheduler.parallelism(this.minimum);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("sse.broadcast.min-carrier-threads is " + this.minimum
						+ ", more than the virtual-thread scheduler allows: " + ex.getMessage(), ex);
			}
			logger.debug("Virtual-thread carriers raised from " + current + " to " + this.minimum);
		}
	}

	/**
	 * How many carriers the JDK's scheduler aims for now.
	 * @return its parallelism, or {@code -1} if this JDK does not tell
	 */
	static int current() {
		Scheduler scheduler = Scheduler.find();
		return (scheduler != null) ? scheduler.parallelism() : -1;
	}

	/**
	 * The scheduler's management interface, called by name: it is not in Java 21's API.
	 */
	private record Scheduler(Object bean, Method getter, Method setter) {

		static @Nullable Scheduler find() {
			try {
				Class<? extends PlatformManagedObject> type = Class.forName(SCHEDULER_INTERFACE)
					.asSubclass(PlatformManagedObject.class);
				return new Scheduler(ManagementFactory.getPlatformMXBean(type), type.getMethod("getParallelism"),
						type.getMethod("setParallelism", int.class));
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				logger.debug("Virtual-thread carriers left as the JDK sets them: " + ex);
				return null;
			}
		}

		int parallelism() {
			return (int) call(this.getter);
		}

		void parallelism(int parallelism) {
			call(this.setter, parallelism);
		}

		private Object call(Method method, Object... arguments) {
			try {
				return method.invoke(this.bean, arguments);
			}
			catch (InvocationTargetException ex) {
				if (ex.getCause() instanceof RuntimeException cause) {
					throw cause;
				}
				throw new IllegalStateException(ex.getCause());
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
