package dev.ssebroadcast.redis.autoconfigure;

import java.time.Duration;

import dev.ssebroadcast.redis.SseRedisRelay;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the relay that shares events between instances through Redis. Where
 * Redis is comes from {@code spring.data.redis.*}. Invalid values are rejected while
 * binding, so the application fails to start with a message that names the property.
 */
@ConfigurationProperties("sse.broadcast.redis")
public class SseBroadcastRedisProperties {

	/**
	 * Whether to share events through Redis when a Redis connection factory is present.
	 */
	private boolean enabled = true;

	/**
	 * Prefix of the keys in Redis; instances with the same prefix share events. Keys are
	 * '{prefix}:events', '{prefix}:position', '{prefix}:ids' and '{prefix}:node:<n>'.
	 */
	private String keyPrefix = "sse-broadcast";

	/**
	 * Longest a publish waits for Redis before it fails; start waits as long to read
	 * what the stream retains.
	 */
	private Duration publishTimeout = Duration.ofSeconds(2);

	private final Retention retention = new Retention();

	private final Reader reader = new Reader();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		check(keyPrefix != null && !keyPrefix.isEmpty() && keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0,
				"sse.broadcast.redis.key-prefix must not be empty or contain braces, but was '" + keyPrefix + "'");
		this.keyPrefix = keyPrefix;
	}

	public Duration getPublishTimeout() {
		return this.publishTimeout;
	}

	public void setPublishTimeout(Duration publishTimeout) {
		check(isPositive(publishTimeout),
				"sse.broadcast.redis.publish-timeout must be positive, but was " + publishTimeout);
		this.publishTimeout = publishTimeout;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Reader getReader() {
		return this.reader;
	}

	/**
	 * How much of the stream Redis keeps, for instances that start or fall behind.
	 */
	public static class Retention {

		/**
		 * Number of entries the stream keeps, about (Redis trims whole blocks). An entry
		 * holds one event, or the events published together, so at least this many
		 * events are kept.
		 */
		private long maxLength = 10_000;

		/**
		 * How long the stream keeps events, about; needs Redis 6.2. Unset, only the
		 * length limits it.
		 */
		private @Nullable Duration maxAge;

		public long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(long maxLength) {
			check(maxLength >= 1, "sse.broadcast.redis.retention.max-length must be at least 1, but was " + maxLength);
			this.maxLength = maxLength;
		}

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			check(maxAge == null || isPositive(maxAge),
					"sse.broadcast.redis.retention.max-age must be positive, but was " + maxAge);
			this.maxAge = maxAge;
		}

	}

	/**
	 * How each instance reads the stream.
	 */
	public static class Reader {

		/**
		 * Longest one read waits for new events; the reader checks that Redis still
		 * holds its position when a read finds nothing.
		 */
		private Duration blockTimeout = Duration.ofSeconds(2);

		/**
		 * Most entries one read fetches.
		 */
		private int batchSize = 500;

		/**
		 * Bytes of events after which one read fetches no more, so that a reader far
		 * behind large events catches up with bounded memory; a read always fetches at
		 * least one event.
		 */
		private DataSize batchBytes = DataSize.ofBytes(SseRedisRelay.Builder.DEFAULT_BATCH_BYTES);

		private final Backoff backoff = new Backoff();

		public Duration getBlockTimeout() {
			return this.blockTimeout;
		}

		public void setBlockTimeout(Duration blockTimeout) {
			check(blockTimeout != null && blockTimeout.toMillis() >= 1,
					"sse.broadcast.redis.reader.block-timeout must be at least 1ms, but was " + blockTimeout);
			this.blockTimeout = blockTimeout;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			check(batchSize >= 1, "sse.broadcast.redis.reader.batch-size must be at least 1, but was " + batchSize);
			this.batchSize = batchSize;
		}

		public DataSize getBatchBytes() {
			return this.batchBytes;
		}

		public void setBatchBytes(DataSize batchBytes) {
			check(batchBytes != null && batchBytes.toBytes() >= 1,
					"sse.broadcast.redis.reader.batch-bytes must be at least 1B, but was " + batchBytes);
			this.batchBytes = batchBytes;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

	}

	/**
	 * Waits between attempts to reach Redis again: the minimum first, doubling up to
	 * the maximum.
	 */
	public static class Backoff {

		/**
		 * First wait after a failure.
		 */
		private Duration min = Duration.ofMillis(100);

		/**
		 * Longest wait between two attempts. Must be at least the minimum.
		 */
		private Duration max = Duration.ofSeconds(5);

		public Duration getMin() {
			return this.min;
		}

		public void setMin(Duration min) {
			check(isPositive(min), "sse.broadcast.redis.reader.backoff.min must be positive, but was " + min);
			this.min = min;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			check(isPositive(max), "sse.broadcast.redis.reader.backoff.max must be positive, but was " + max);
			this.max = max;
		}

	}

	private static boolean isPositive(@Nullable Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

}
