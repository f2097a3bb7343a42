package dev.ssebroadcast.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.SseFanOut;
import dev.ssebroadcast.relay.SseRelay;
import dev.ssebroadcast.relay.SseRelayException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.NamedNode;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A relay that makes every instance connected to one Redis act as one broadcaster: each
 * event is numbered and appended to one Redis Stream, and each instance reads that
 * stream once and fans out locally.
 * <p>
 * <b>Contract.</b> A publish on any instance reaches the matching clients of every
 * instance, targeted sends included. Every instance delivers events in one global
 * order (the order in which Redis appended them) and gives an event the same id, made
 * of the epoch and sequence number that one script assigns as it appends. An instance
 * that starts reads what the stream retains first (backfill), so it can replay events
 * published before it started. Client ids are unique across instances: each instance
 * draws a number from Redis at start and numbers its clients above it.
 * <p>
 * <b>Publishing</b> waits for Redis to append the event, for at most the publish
 * timeout, and returns the number of local clients that match the event now: delivery,
 * on this instance as on the others, follows asynchronously. If Redis is unreachable, or
 * does not answer in time, {@link #publish} throws {@link SseRelayException} naming the
 * address, and the command is cancelled so that it is not sent later; the event is then
 * not delivered anywhere, unless Redis appended it and only its answer was lost.
 * <p>
 * <b>Never a silent gap.</b> If this instance's reader falls behind what the stream
 * retains, or Redis loses data (restarted empty, restored from an older snapshot, failed
 * over to a lagging replica), the affected clients receive {@code sse-reset}. The reader
 * reconnects with backoff and resumes after the last entry it read, so events that other
 * instances published meanwhile arrive in order.
 * <p>
 * It needs Lettuce, Spring Boot's default Redis client, and opens two connections of
 * its own from the application's {@link LettuceConnectionFactory}: one to publish, and
 * one for the blocking reads. Thread-safe.
 */
public final class SseRedisRelay implements SseRelay {

	private static final Log logger = LogFactory.getLog(SseRedisRelay.class);

	// Numbers drawn at random when Redis is unreachable at start stay clear of those that
	// Redis hands out, which count up from 1.
	private static final long RANDOM_NODES = 1L << 30;

	private final RelaySettings settings;

	private final Supplier<StatefulConnection<byte[], byte[]>> connector;

	private final String address;

	private final byte[][] publishKeys;

	private final byte[] maxLength;

	private final byte[] maxAge;

	private final ReentrantLock connecting = new ReentrantLock();

	private final LongAdder publishFailures = new LongAdder();

	private final AcknowledgedPosition acknowledged = new AcknowledgedPosition();

	private volatile @Nullable RelayConnection publisher;

	private volatile long lastConnectAttempt = System.nanoTime() - Duration.ofDays(1).toNanos();

	private volatile @Nullable String publishError;

	private volatile long publishFailedNanos;

	private volatile @Nullable StreamReader reader;

	private volatile @Nullable SseFanOut fanOut;

	// Cleared when Redis could not be reached while numbering this instance: start then
	// does not wait a second time.
	private volatile boolean reachedAtStart = true;

	private SseRedisRelay(Builder builder, RelaySettings settings) {
		this.settings = settings;
		this.connector = builder.connector;
		this.address = builder.address;
		this.publishKeys = new byte[][] { RedisKeys.bytes(settings.keys().position()),
				RedisKeys.bytes(settings.keys().events()) };
		this.maxLength = StreamEntry.bytes(Long.toString(settings.maxLength()));
		this.maxAge = StreamEntry.bytes(Long.toString(settings.maxAgeMillis()));
	}

	/**
	 * Start configuring a relay on the connections of {@code connectionFactory}.
	 * @param connectionFactory the application's connection factory, started
	 * @return a builder with default settings
	 */
	public static Builder builder(LettuceConnectionFactory connectionFactory) {
		Duration connectTimeout = connectionFactory.getClientConfiguration()
			.getClientOptions()
			.map((options) -> options.getSocketOptions().getConnectTimeout())
			.orElse(SocketOptions.DEFAULT_CONNECT_TIMEOUT_DURATION);
		return new Builder(() -> connect(connectionFactory.getRequiredNativeClient()), address(connectionFactory),
				connectTimeout);
	}

	/**
	 * Draw this instance's number from Redis; if it is unreachable, draw one at random
	 * (from a range Redis does not hand out) and say so.
	 */
	@Override
	public long clientIdOrigin() {
		long node;
		try {
			// Connecting for the first time may take longer than later: the client starts.
			RelayConnection connection = publisher(System.nanoTime() + this.settings.connectTimeout().toNanos());
			node = connection.await(connection.commands().incr(RedisKeys.bytes(this.settings.keys().nodes())),
					this.settings.timeout()) % RANDOM_NODES;
		}
		catch (SseRelayException | RedisException | InterruptedException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.reachedAtStart = false;
			node = RANDOM_NODES + new SecureRandom().nextInt(1 << 20);
			logger.warn("Redis is unreachable at " + this.address + ": numbering this instance's clients from "
					+ "a random node number, " + node);
		}
		return node << 32;
	}

	/**
	 * As long as the publish timeout: the instance a client comes from may have read a
	 * little further than this one.
	 */
	@Override
	public Duration catchUpTimeout() {
		return this.settings.timeout();
	}

	/**
	 * Deliver what the stream retains, waiting at most the publish timeout, then go on
	 * reading on a virtual thread. If Redis is unreachable, log a warning and keep
	 * trying in the background.
	 */
	@Override
	public void start(SseFanOut fanOut) {
		if (this.reader != null) {
			throw new IllegalStateException("SseRedisRelay is started already");
		}
		this.fanOut = fanOut;
		StreamReader reader = new StreamReader(this.connector, this.settings, this.address, fanOut,
				this.acknowledged);
		if (this.reachedAtStart) {
			reader.backfill();
		}
		else {
			reader.unreachable(new RedisException("not reached while numbering this instance"));
		}
		this.reader = reader;
		reader.start();
	}

	/**
	 * Append {@code event} to the stream.
	 * @return the number of clients on this instance that match the event now
	 * @throws SseRelayException if Redis is unreachable or did not answer within the
	 * publish timeout
	 */
	@Override
	public int publish(RelayedEvent event) {
		SseFanOut fanOut = this.fanOut;
		if (fanOut == null) {
			throw new IllegalStateException("SseRedisRelay is not started");
		}
		long deadline = System.nanoTime() + this.settings.timeout().toNanos();
		try {
			RelayConnection connection = publisher(deadline);
			List<Object> position = connection.run(RelayScript.PUBLISH, ScriptOutputType.MULTI, this.publishKeys,
					arguments(event), remaining(deadline));
			this.acknowledged.acknowledged(StreamEntry.text((byte[]) position.get(0)), (Long) position.get(1));
		}
		catch (RedisException ex) {
			throw publishFailed(ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw publishFailed("interrupted", ex);
		}
		this.publishError = null;
		return fanOut.recipients(event);
	}

	@Override
	public void stop() {
		StreamReader reader = this.reader;
		if (reader != null) {
			reader.stop();
		}
		RelayConnection publisher = this.publisher;
		this.publisher = null;
		if (publisher != null) {
			publisher.close();
		}
	}

	/**
	 * What the relay is doing, for health checks and meters.
	 * @return a snapshot
	 */
	public Status status() {
		StreamReader reader = this.reader;
		String publishError = this.publishError;
		if (publishError != null && reader != null && reader.connectedSince() - this.publishFailedNanos > 0) {
			// Redis answered the reader after that publish failed.
			publishError = null;
		}
		return new Status(this.address, this.settings.keys().events(), reader != null && reader.isConnected(),
				(reader != null) ? reader.error() : "not started", publishError,
				(reader != null) ? reader.delivered() : null,
				Duration.ofNanos((reader != null) ? reader.lagMicros() * 1000 : 0), this.publishFailures.sum(),
				(reader != null) ? reader.reconnects() : 0, (reader != null) ? reader.resets() : 0);
	}

	/** Hold this instance's reader before its next read until the handle is closed. */
	AutoCloseable pauseReader() throws InterruptedException {
		StreamReader reader = this.reader;
		if (reader == null) {
			throw new IllegalStateException("SseRedisRelay is not started");
		}
		return reader.pause();
	}

	/**
	 * The publishing connection, opened again if it was lost: by one caller at a time
	 * and at most once per minimum backoff, while other callers fail at once.
	 */
	private RelayConnection publisher(long deadline) throws InterruptedException {
		RelayConnection connection = this.publisher;
		if (connection != null && connection.isOpen()) {
			return connection;
		}
		if (!this.connecting.tryLock(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS)) {
			throw new RedisException("not connected");
		}
		try {
			connection = this.publisher;
			if (connection != null && connection.isOpen()) {
				return connection;
			}
			long now = System.nanoTime();
			if (now - this.lastConnectAttempt < this.settings.minBackoff().toNanos()) {
				throw new RedisException("not connected");
			}
			this.lastConnectAttempt = now;
			connection = RelayConnection.open(this.connector, remaining(deadline));
			this.publisher = connection;
			return connection;
		}
		finally {
			this.connecting.unlock();
		}
	}

	private byte[][] arguments(RelayedEvent event) {
		long publishedMicros = StreamReader.micros(Instant.now());
		// Used only if Redis lost the epoch; need not be strong, only unlikely to repeat.
		byte[] epoch = StreamEntry.bytes(
				Long.toString(ThreadLocalRandom.current().nextLong() & 0xFF_FFFF_FFFFL, Character.MAX_RADIX));
		byte[] audience = StreamEntry.audience(event.audience());
		byte[] target = StreamEntry.bytes(event.target());
		byte[] published = StreamEntry.bytes(Long.toString(publishedMicros));
		AcknowledgedPosition.Position acknowledged = this.acknowledged.highest();
		byte[] acknowledgedEpoch = StreamEntry.bytes(acknowledged.epoch());
		byte[] acknowledgedSequence = StreamEntry.bytes(Long.toString(acknowledged.sequence()));
		String id = event.id();
		if (id == null) {
			return new byte[][] { epoch, this.maxLength, this.maxAge, audience, target, event.frame(), published,
					acknowledgedEpoch, acknowledgedSequence };
		}
		return new byte[][] { epoch, this.maxLength, this.maxAge, audience, target, event.frame(), published,
				acknowledgedEpoch, acknowledgedSequence, StreamEntry.bytes(id) };
	}

	private SseRelayException publishFailed(@Nullable String reason, Exception cause) {
		String message = "Redis is unreachable at " + this.address + " (" + reason + "); the event was not published";
		this.publishFailures.increment();
		this.publishFailedNanos = System.nanoTime();
		this.publishError = message;
		return new SseRelayException(message, cause);
	}

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
	}

	private static StatefulConnection<byte[], byte[]> connect(AbstractRedisClient client) {
		if (client instanceof RedisClusterClient cluster) {
			return cluster.connect(ByteArrayCodec.INSTANCE);
		}
		return ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
	}

	/** Where the factory connects, for messages. */
	static String address(LettuceConnectionFactory factory) {
		if (factory.isClusterAware() && factory.getClusterConfiguration() != null) {
			return "cluster " + nodes(factory.getClusterConfiguration().getClusterNodes());
		}
		if (factory.isRedisSentinelAware() && factory.getSentinelConfiguration() != null) {
			NamedNode master = factory.getSentinelConfiguration().getMaster();
			return "master '" + ((master != null) ? master.getName() : "?") + "' of sentinels "
					+ nodes(factory.getSentinelConfiguration().getSentinels());
		}
		return factory.getHostName() + ":" + factory.getPort();
	}

	private static String nodes(Iterable<RedisNode> nodes) {
		return StreamSupport.stream(nodes.spliterator(), false)
			.map(RedisNode::asString)
			.collect(Collectors.joining(","));
	}

	/**
	 * A snapshot of what a relay is doing.
	 *
	 * @param address where Redis is, as configured
	 * @param stream the stream's key
	 * @param readerConnected whether the reader reads the stream now
	 * @param readerError why it cannot, or {@code null}
	 * @param publishError why the last publish failed, or {@code null} if it succeeded or
	 * the reader has reached Redis since
	 * @param lastDelivered the position of the last event delivered here, or {@code null}
	 * @param lag how long that event took from publishing to fan-out here
	 * @param publishFailures how many publishes failed
	 * @param readerReconnects how many times the reader connected again after a failure
	 * @param resets how many times clients were reset because Redis lost events or the
	 * reader fell behind
	 */
	public record Status(String address, String stream, boolean readerConnected, @Nullable String readerError,
			@Nullable String publishError, @Nullable String lastDelivered, Duration lag, long publishFailures,
			long readerReconnects, long resets) {

		/**
		 * Whether events flow: the reader reads and the last publish succeeded.
		 * @return {@code true} if healthy
		 */
		public boolean isHealthy() {
			return this.readerConnected && this.publishError == null;
		}

	}

	/**
	 * Configures an {@link SseRedisRelay}. Every setting has a default.
	 */
	public static final class Builder {

		private final Supplier<StatefulConnection<byte[], byte[]>> connector;

		private final String address;

		private final Duration connectTimeout;

		private String keyPrefix = "sse-broadcast";

		private long maxLength = 10_000;

		private @Nullable Duration maxAge;

		private Duration publishTimeout = Duration.ofSeconds(2);

		private Duration blockTimeout = Duration.ofSeconds(2);

		private int batchSize = 500;

		private Duration minBackoff = Duration.ofMillis(100);

		private Duration maxBackoff = Duration.ofSeconds(5);

		private RelayLagListener lagListener = (lagNanos) -> {
		};

		Builder(Supplier<StatefulConnection<byte[], byte[]>> connector, String address, Duration connectTimeout) {
			this.connector = connector;
			this.address = address;
			this.connectTimeout = connectTimeout;
		}

		/**
		 * The prefix of the relay's keys; instances with the same prefix share events.
		 * Default {@code sse-broadcast}.
		 * @param keyPrefix not empty, without braces
		 * @return this builder
		 */
		public Builder keyPrefix(String keyPrefix) {
			require(keyPrefix != null && !keyPrefix.isEmpty() && keyPrefix.indexOf('{') < 0
					&& keyPrefix.indexOf('}') < 0, "keyPrefix must not be empty or contain braces, but was '"
							+ keyPrefix + "'");
			this.keyPrefix = keyPrefix;
			return this;
		}

		/**
		 * How many events the stream keeps, about: Redis trims whole blocks of entries.
		 * Default 10,000.
		 * @param maxLength at least 1
		 * @return this builder
		 */
		public Builder maxLength(long maxLength) {
			require(maxLength >= 1, "maxLength must be at least 1, but was " + maxLength);
			this.maxLength = maxLength;
			return this;
		}

		/**
		 * How long the stream keeps events, about; needs Redis 6.2. Default none: only
		 * {@link #maxLength} limits it.
		 * @param maxAge positive, or {@code null}
		 * @return this builder
		 */
		public Builder maxAge(@Nullable Duration maxAge) {
			require(maxAge == null || isPositive(maxAge), "maxAge must be positive, but was " + maxAge);
			this.maxAge = maxAge;
			return this;
		}

		/**
		 * How long a publish, and each other command, waits for Redis. Default 2 s.
		 * @param timeout positive
		 * @return this builder
		 */
		public Builder publishTimeout(Duration timeout) {
			require(isPositive(timeout), "publishTimeout must be positive, but was " + timeout);
			this.publishTimeout = timeout;
			return this;
		}

		/**
		 * How long one read waits for new events before it starts again. Default 2 s.
		 * @param timeout at least 1 ms
		 * @return this builder
		 */
		public Builder blockTimeout(Duration timeout) {
			require(timeout != null && timeout.toMillis() >= 1, "blockTimeout must be at least 1ms, but was " + timeout);
			this.blockTimeout = timeout;
			return this;
		}

		/**
		 * Most events one read fetches. Default 500.
		 * @param batchSize at least 1
		 * @return this builder
		 */
		public Builder batchSize(int batchSize) {
			require(batchSize >= 1, "batchSize must be at least 1, but was " + batchSize);
			this.batchSize = batchSize;
			return this;
		}

		/**
		 * How long to wait after a failure before trying again: {@code min} first,
		 * doubling up to {@code max}. Default 100 ms to 5 s.
		 * @param min positive
		 * @param max at least {@code min}
		 * @return this builder
		 */
		public Builder backoff(Duration min, Duration max) {
			require(isPositive(min), "backoff min must be positive, but was " + min);
			require(max != null && max.compareTo(min) >= 0,
					"backoff max must be at least min (" + min + "), but was " + max);
			this.minBackoff = min;
			this.maxBackoff = max;
			return this;
		}

		/**
		 * What to tell about each event's lag from publishing to this instance's fan-out.
		 * Default: nothing.
		 * @param lagListener the listener
		 * @return this builder
		 */
		public Builder lagListener(RelayLagListener lagListener) {
			require(lagListener != null, "lagListener must not be null");
			this.lagListener = lagListener;
			return this;
		}

		/**
		 * Create the relay. It connects when the broadcaster starts it.
		 * @return a new relay
		 */
		public SseRedisRelay build() {
			return new SseRedisRelay(this,
					new RelaySettings(RedisKeys.of(this.keyPrefix), this.maxLength,
							(this.maxAge != null) ? this.maxAge.toMillis() : 0, this.publishTimeout, this.connectTimeout,
							this.blockTimeout,
							this.batchSize, this.minBackoff, this.maxBackoff, this.lagListener));
		}

		private static boolean isPositive(@Nullable Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

		private static void require(boolean condition, String message) {
			if (!condition) {
				throw new IllegalArgumentException(message);
			}
		}

	}

}
