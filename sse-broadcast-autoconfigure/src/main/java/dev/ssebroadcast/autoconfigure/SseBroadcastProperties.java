package dev.ssebroadcast.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.ssebroadcast.OverflowPolicy;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseBroadcaster.Builder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Server-Sent Events broadcaster and its endpoint. The defaults
 * are the {@link SseBroadcaster.Builder}'s, and so are the rules for valid values: a
 * value it rejects stops startup with a report that names the property.
 */
@ConfigurationProperties("sse.broadcast")
public class SseBroadcastProperties {

	/**
	 * Whether to set up the broadcaster and its endpoint.
	 */
	private boolean enabled = true;

	/**
	 * Path of the endpoint that streams events. Must start with '/'.
	 */
	private String path = "/sse";

	/**
	 * Longest time a stream stays silent: an idle stream is sent a heartbeat comment
	 * within this period, and a connection the client closed is found and dropped within
	 * one and a quarter periods. Must be positive.
	 */
	private Duration heartbeat = Builder.DEFAULT_HEARTBEAT;

	/**
	 * Longest time one write to a client may take before the client is disconnected
	 * and its connection closed, so that a client that stopped reading frees its thread
	 * and connection. Must be positive.
	 */
	private Duration writeTimeout = Builder.DEFAULT_WRITE_TIMEOUT;

	/**
	 * Reconnection delay sent to each client when it connects. Unset, browsers use
	 * their own (a few seconds).
	 */
	private @Nullable Duration retry;

	/**
	 * Longest a stream lasts before it ends and its browser reconnects, resuming where
	 * it ended; each stream's lifetime is drawn between three quarters of this and this.
	 * Unset, streams last until the client or the application ends them.
	 */
	private @Nullable Duration maxConnectionLifetime;

	/**
	 * Number of events that may wait for one client before its overflow policy applies.
	 * Must be at least 1.
	 */
	private int clientQueueCapacity = Builder.DEFAULT_CLIENT_QUEUE_CAPACITY;

	/**
	 * What to do with a client whose queue is full: disconnect it (it reconnects and
	 * replays), drop its oldest queued event, or drop the new event.
	 */
	private OverflowPolicy overflow = Builder.DEFAULT_OVERFLOW;

	/**
	 * Largest encoded event that may be sent; larger ones are rejected when sent.
	 */
	private DataSize maxEventSize = DataSize.ofBytes(Builder.DEFAULT_MAX_EVENT_SIZE);

	/**
	 * Most clients connected at once; further connections get 503 with Retry-After. At
	 * least 1, or -1 for no limit. A client that left counts until it is found gone: at
	 * once over plain HTTP/1.1 on Tomcat and Jetty, otherwise within one and a quarter
	 * heartbeat periods.
	 */
	private int maxClients = Builder.DEFAULT_MAX_CLIENTS;

	/**
	 * Most topics one connection may subscribe to. Must be at least 1.
	 */
	private int maxTopicsPerClient = Builder.DEFAULT_MAX_TOPICS_PER_CLIENT;

	/**
	 * Fewest carrier threads the JDK's virtual-thread scheduler runs (Java 24 or later),
	 * so that a few busy threads cannot hold up every stream on a machine with one or two
	 * cores. 0 leaves the JDK's count, one per core; so does a
	 * jdk.virtualThreadScheduler.parallelism system property.
	 */
	private int minCarrierThreads = CarrierThreads.DEFAULT_MINIMUM;

	/**
	 * Settings per topic name.
	 */
	private Map<String, Topic> topics = new LinkedHashMap<>();

	private final History history = new History();

	private final Shutdown shutdown = new Shutdown();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		if (path == null || !path.startsWith("/")) {
			throw new IllegalArgumentException("sse.broadcast.path must start with '/', but was '" + path + "'");
		}
		this.path = path;
	}

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		this.heartbeat = heartbeat;
	}

	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	public void setWriteTimeout(Duration writeTimeout) {
		this.writeTimeout = writeTimeout;
	}

	public @Nullable Duration getMaxConnectionLifetime() {
		return this.maxConnectionLifetime;
	}

	public void setMaxConnectionLifetime(@Nullable Duration maxConnectionLifetime) {
		this.maxConnectionLifetime = maxConnectionLifetime;
	}

	public @Nullable Duration getRetry() {
		return this.retry;
	}

	public void setRetry(@Nullable Duration retry) {
		this.retry = retry;
	}

	public int getClientQueueCapacity() {
		return this.clientQueueCapacity;
	}

	public void setClientQueueCapacity(int clientQueueCapacity) {
		this.clientQueueCapacity = clientQueueCapacity;
	}

	public OverflowPolicy getOverflow() {
		return this.overflow;
	}

	public void setOverflow(OverflowPolicy overflow) {
		this.overflow = overflow;
	}

	public DataSize getMaxEventSize() {
		return this.maxEventSize;
	}

	public void setMaxEventSize(DataSize maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	public int getMaxClients() {
		return this.maxClients;
	}

	public void setMaxClients(int maxClients) {
		this.maxClients = maxClients;
	}

	public int getMaxTopicsPerClient() {
		return this.maxTopicsPerClient;
	}

	public void setMaxTopicsPerClient(int maxTopicsPerClient) {
		this.maxTopicsPerClient = maxTopicsPerClient;
	}

	public int getMinCarrierThreads() {
		return this.minCarrierThreads;
	}

	public void setMinCarrierThreads(int minCarrierThreads) {
		this.minCarrierThreads = minCarrierThreads;
	}

	public Map<String, Topic> getTopics() {
		return this.topics;
	}

	public void setTopics(Map<String, Topic> topics) {
		this.topics = topics;
	}

	public History getHistory() {
		return this.history;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	/**
	 * Settings of one topic.
	 */
	public static class Topic {

		/**
		 * Overflow policy of this topic's subscribers, overriding sse.broadcast.overflow.
		 */
		private @Nullable OverflowPolicy overflow;

		public @Nullable OverflowPolicy getOverflow() {
			return this.overflow;
		}

		public void setOverflow(@Nullable OverflowPolicy overflow) {
			this.overflow = overflow;
		}

	}

	/**
	 * The events kept so that reconnecting clients get what they missed.
	 */
	public static class History {

		/**
		 * Events kept per topic, and for broadcasts to everyone. 0 keeps none.
		 */
		private int size = Builder.DEFAULT_HISTORY_SIZE;

		/**
		 * How long an event is kept for replay. Must be positive.
		 */
		private Duration maxAge = Builder.DEFAULT_HISTORY_MAX_AGE;

		/**
		 * Most the events kept for all topics together may take; past it, the oldest are
		 * evicted first. Each event counts its encoded size and 512 bytes more.
		 */
		private DataSize maxBytes = DataSize.ofBytes(Builder.DEFAULT_HISTORY_MAX_BYTES);

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			this.size = size;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}

	}

	/**
	 * How streams end when the application stops.
	 */
	public static class Shutdown {

		/**
		 * Window over which clients reconnect when the application stops: each stream
		 * ends with a retry delay drawn at random below this, so that the clients of a
		 * stopping instance reach the others spread out rather than all at once. 0 ends
		 * every stream at once without a retry.
		 */
		private Duration reconnectSpread = Builder.DEFAULT_SHUTDOWN_RECONNECT_SPREAD;

		public Duration getReconnectSpread() {
			return this.reconnectSpread;
		}

		public void setReconnectSpread(Duration reconnectSpread) {
			this.reconnectSpread = reconnectSpread;
		}

	}

}
