package dev.ssebroadcast.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.ssebroadcast.OverflowPolicy;
import dev.ssebroadcast.SseSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Server-Sent Events broadcaster and its endpoint. Invalid values
 * are rejected while binding, so the application fails to start with a message that
 * names the property.
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
	 * Idle time after which a client is sent a heartbeat comment; a dead connection is
	 * found and dropped by that write. Must be positive.
	 */
	private Duration heartbeat = Duration.ofSeconds(10);

	/**
	 * Reconnection delay sent to each client when it connects. Unset, browsers use
	 * their own (a few seconds).
	 */
	private @Nullable Duration retry;

	/**
	 * Number of events that may wait for one client before its overflow policy applies.
	 * Must be at least 1.
	 */
	private int clientQueueCapacity = 128;

	/**
	 * What to do with a client whose queue is full: disconnect it (it reconnects and
	 * replays), drop its oldest queued event, or drop the new event.
	 */
	private OverflowPolicy overflow = OverflowPolicy.DISCONNECT;

	/**
	 * Largest encoded event that may be sent; larger ones are rejected when sent.
	 */
	private DataSize maxEventSize = DataSize.ofMegabytes(1);

	/**
	 * Most clients connected at once; further connections get 503 with Retry-After. -1
	 * for no limit.
	 */
	private int maxClients = -1;

	/**
	 * Most topics one connection may subscribe to. Must be at least 1.
	 */
	private int maxTopicsPerClient = 16;

	/**
	 * Settings per topic name.
	 */
	private Map<String, Topic> topics = new LinkedHashMap<>();

	private final History history = new History();

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
		check(path != null && path.startsWith("/"), "sse.broadcast.path must start with '/', but was '" + path + "'");
		this.path = path;
	}

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		check(isPositive(heartbeat), "sse.broadcast.heartbeat must be positive, but was " + heartbeat);
		this.heartbeat = heartbeat;
	}

	public @Nullable Duration getRetry() {
		return this.retry;
	}

	public void setRetry(@Nullable Duration retry) {
		check(retry == null || isPositive(retry), "sse.broadcast.retry must be positive, but was " + retry);
		this.retry = retry;
	}

	public int getClientQueueCapacity() {
		return this.clientQueueCapacity;
	}

	public void setClientQueueCapacity(int clientQueueCapacity) {
		check(clientQueueCapacity >= 1,
				"sse.broadcast.client-queue-capacity must be at least 1, but was " + clientQueueCapacity);
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
		check(maxEventSize != null && maxEventSize.toBytes() >= 1 && maxEventSize.toBytes() <= Integer.MAX_VALUE,
				"sse.broadcast.max-event-size must be between 1B and 2GB, but was " + maxEventSize);
		this.maxEventSize = maxEventSize;
	}

	public int getMaxClients() {
		return this.maxClients;
	}

	public void setMaxClients(int maxClients) {
		check(maxClients >= -1, "sse.broadcast.max-clients must be -1 (no limit) or more, but was " + maxClients);
		this.maxClients = maxClients;
	}

	public int getMaxTopicsPerClient() {
		return this.maxTopicsPerClient;
	}

	public void setMaxTopicsPerClient(int maxTopicsPerClient) {
		check(maxTopicsPerClient >= 1,
				"sse.broadcast.max-topics-per-client must be at least 1, but was " + maxTopicsPerClient);
		this.maxTopicsPerClient = maxTopicsPerClient;
	}

	public Map<String, Topic> getTopics() {
		return this.topics;
	}

	public void setTopics(Map<String, Topic> topics) {
		topics.keySet().forEach((name) -> check(isValidTopic(name), "sse.broadcast.topics has an invalid topic name '"
				+ name + "': use 1 to 64 characters from A-Z, a-z, 0-9 and . _ : -"));
		this.topics = topics;
	}

	public History getHistory() {
		return this.history;
	}

	private static boolean isValidTopic(String name) {
		try {
			SseSubscription.requireValidTopic(name);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	static boolean isPositive(@Nullable Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	static void check(boolean valid, String message) {
		if (!valid) {
			throw new IllegalArgumentException(message);
		}
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
		private int size = 100;

		/**
		 * How long an event is kept for replay. Must be positive.
		 */
		private Duration maxAge = Duration.ofMinutes(5);

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			check(size >= 0, "sse.broadcast.history.size must be at least 0, but was " + size);
			this.size = size;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			check(isPositive(maxAge), "sse.broadcast.history.max-age must be positive, but was " + maxAge);
			this.maxAge = maxAge;
		}

	}

}
