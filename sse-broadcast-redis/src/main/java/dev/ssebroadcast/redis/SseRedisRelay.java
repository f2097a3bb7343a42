package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.List;
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
import dev.ssebroadcast.relay.SseRelayNotPublishedException;
import dev.ssebroadcast.relay.SseRelayOutcomeUnknownException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
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
 * stream once and fans out locally. What it keeps in Redis is described by
 * {@link WireFormat}.
 * <p>
 * <b>Contract.</b> A publish on any instance reaches the matching clients of every
 * instance, targeted sends included. Every instance delivers events in one global
 * order (the order in which Redis appended them) and gives an event the same id, made
 * of the epoch and sequence number that one script assigns as it appends. An instance
 * that starts reads what the stream retains first (backfill), so it can replay events
 * published before it started. Client ids are unique across instances: see
 * {@link NodeLease}.
 * <p>
 * <b>Publishing</b> waits for Redis to append the event, for at most the publish
 * timeout, and returns the number of local clients that match the event now: delivery,
 * on this instance as on the others, follows asynchronously. A failure says which case
 * it is: {@link SseRelayNotPublishedException} when the event was not sent (no
 * connection, or still in line behind events that Redis had not answered) or Redis
 * refused it, {@link SseRelayOutcomeUnknownException} when it was
 * sent and no answer came in time: Redis may have appended it. An event with the
 * application's id is appended at most once per audience, target and id while the stream
 * retains it: publishing it again after an unknown outcome is safe, and a publish that
 * finds it appended already succeeds without appending it again.
 * <p>
 * <b>Never a silent gap.</b> If this instance's reader falls behind what the stream
 * retains, or Redis loses data (restarted empty, restored from an older snapshot, failed
 * over to a lagging replica) or holds what the relay did not write, the affected clients
 * receive {@code sse-reset}. The reader reconnects with backoff and resumes after the
 * last entry it read, so events that other instances published meanwhile arrive in
 * order.
 * <p>
 * It needs Lettuce, Spring Boot's default Redis client, and opens two connections of
 * its own from the application's {@link LettuceConnectionFactory}: one to publish, shared
 * by every publishing thread, and one for the blocking reads. Events that threads publish
 * while a batch is on its way to Redis leave together in the next one, appended by one
 * script call (see {@link PublishBatcher}): many threads share round trips, and one
 * thread alone sends its event at once. Thread-safe.
 */
public final class SseRedisRelay implements SseRelay {

	private static final Log logger = LogFactory.getLog(SseRedisRelay.class);

	private final RelaySettings settings;

	private final WireFormat format;

	private final Supplier<StatefulConnection<byte[], byte[]>> connector;

	private final String address;

	private final NodeLease lease;

	private final ReentrantLock connecting = new ReentrantLock();

	private final LongAdder publishFailures = new LongAdder();

	private final AcknowledgedPosition acknowledged = new AcknowledgedPosition();

	private final PublishBatcher batcher;

	private volatile @Nullable RelayConnection publisher;

	private volatile long lastConnectAttempt = System.nanoTime() - Duration.ofDays(1).toNanos();

	private volatile @Nullable String publishError;

	private volatile long publishFailedNanos;

	private volatile @Nullable StreamReader reader;

	private volatile @Nullable Thread leaseRenewal;

	private volatile @Nullable SseFanOut fanOut;

	// Cleared when Redis could not be reached while numbering this instance: start then
	// does not wait a second time.
	private volatile boolean reachedAtStart = true;

	private SseRedisRelay(Builder builder, RelaySettings settings) {
		this.settings = settings;
		this.format = settings.format();
		this.connector = builder.connector;
		this.address = builder.address;
		this.lease = new NodeLease(this.format, this.address, NodeLease.randomDraws(), NodeLease.LEASE);
		this.batcher = new PublishBatcher(new BatchAppender(settings, this.address, this.acknowledged, this::publisher,
				() -> {
					RelayConnection publisher = this.publisher;
					return publisher != null && publisher.isOpen();
				}));
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
	 * Claim a free node number in Redis; if it is unreachable, draw one and claim it
	 * once Redis answers. See {@link NodeLease}.
	 */
	@Override
	public long clientIdOrigin() {
		long node;
		try {
			// Connecting for the first time may take longer than later: the client starts.
			RelayConnection connection = publisher(System.nanoTime() + this.settings.connectTimeout().toNanos());
			node = this.lease.claim(connection, this.settings.timeout());
		}
		catch (RedisException | InterruptedException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.reachedAtStart = false;
			node = this.lease.draw();
			logger.warn("Redis is unreachable at " + this.address + " (" + ex.getMessage() + "): numbering this "
					+ "instance's clients from node number " + node + ", claimed once Redis answers");
		}
		this.leaseRenewal = Thread.ofVirtual().name("sse-redis-node-lease").start(this::renewLease);
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
	 * Append {@code event} to the stream, unless it has an id and an event with that
	 * id, audience and target is retained.
	 * @return the number of clients on this instance that match the event now
	 * @throws SseRelayNotPublishedException if Redis is unreachable or refused the event,
	 * or the event was still in line, not sent, when the publish timeout passed
	 * @throws SseRelayOutcomeUnknownException if Redis did not answer within the publish
	 * timeout, or the connection was lost while waiting: it may have been published
	 */
	@Override
	public int publish(RelayedEvent event) {
		SseFanOut fanOut = this.fanOut;
		if (fanOut == null) {
			throw new IllegalStateException("SseRedisRelay is not started");
		}
		try {
			this.batcher.publish(event, System.nanoTime() + this.settings.timeout().toNanos());
		}
		catch (SseRelayException ex) {
			throw failed(ex);
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
		Thread leaseRenewal = this.leaseRenewal;
		if (leaseRenewal != null) {
			leaseRenewal.interrupt();
		}
		RelayConnection publisher = this.publisher;
		this.publisher = null;
		if (publisher != null) {
			publisher.close();
		}
	}

	/**
	 * What the relay is doing, for health checks and meters; answers at once, from what
	 * the reader and the last publish saw, without asking Redis.
	 * @return a snapshot
	 */
	public Status status() {
		StreamReader reader = this.reader;
		ReaderStatus read = (reader != null) ? reader.status() : null;
		String publishError = this.publishError;
		if (publishError != null && read != null && read.connectedSince() - this.publishFailedNanos > 0) {
			// Redis answered the reader after that publish failed.
			publishError = null;
		}
		return new Status(this.address, this.format.events(), read != null && read.isConnected(),
				(read != null) ? read.error() : "not started", publishError, (read != null) ? read.delivered() : null,
				Duration.ofNanos((read != null) ? read.lagMicros() * 1000 : 0), this.publishFailures.sum(),
				(read != null) ? read.reconnects() : 0, (read != null) ? read.resets() : 0);
	}

	/** Hold this instance's reader before its next read until the handle is closed. */
	AutoCloseable pauseReader() throws InterruptedException {
		StreamReader reader = this.reader;
		if (reader == null) {
			throw new IllegalStateException("SseRedisRelay is not started");
		}
		return reader.pause();
	}

	/** Run {@code action} each time the idle reader has read the position, before it checks it. */
	void afterPositionRead(Runnable action) {
		StreamReader reader = this.reader;
		if (reader == null) {
			throw new IllegalStateException("SseRedisRelay is not started");
		}
		reader.afterPositionRead(action);
	}

	/** Keep publishes in line, none sent, until the handle is closed. */
	AutoCloseable holdPublishing() {
		return this.batcher.hold();
	}

	/** How many publishes wait in line, not sent yet. */
	int publishesWaiting() {
		return this.batcher.waiting();
	}

	/** The node number this instance's client ids are made from. */
	long node() {
		return this.lease.node();
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
			connection = RelayConnection.open(this.connector, remaining(deadline), this.settings.timeout());
			this.publisher = connection;
			return connection;
		}
		finally {
			this.connecting.unlock();
		}
	}

	/** Renew this instance's node number until the relay stops; see {@link NodeLease}. */
	private void renewLease() {
		Duration every = this.lease.renewal();
		while (true) {
			try {
				Thread.sleep(every);
				this.lease.renew(publisher(System.nanoTime() + this.settings.timeout().toNanos()),
						this.settings.timeout());
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RedisException ex) {
				// Redis is unreachable: the reader and publishes say so; try again later.
			}
		}
	}

	private SseRelayException failed(SseRelayException failure) {
		this.publishFailures.increment();
		this.publishFailedNanos = System.nanoTime();
		this.publishError = failure.getMessage();
		return failure;
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

		/** Bytes of events after which one read fetches no more, by default. */
		public static final long DEFAULT_BATCH_BYTES = 8L * 1024 * 1024;

		private final Supplier<StatefulConnection<byte[], byte[]>> connector;

		private final String address;

		private final Duration connectTimeout;

		private String keyPrefix = "sse-broadcast";

		private long maxLength = 10_000;

		private @Nullable Duration maxAge;

		private Duration publishTimeout = Duration.ofSeconds(2);

		private Duration blockTimeout = Duration.ofSeconds(2);

		private int batchSize = 500;

		private long batchBytes = DEFAULT_BATCH_BYTES;

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
		 * How many entries the stream keeps, about: Redis trims whole blocks of entries.
		 * An entry holds one event, or the events published together, so at least this
		 * many events are kept. Default 10,000.
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
		 * Most entries one read fetches. Default 500.
		 * @param batchSize at least 1
		 * @return this builder
		 */
		public Builder batchSize(int batchSize) {
			require(batchSize >= 1, "batchSize must be at least 1, but was " + batchSize);
			this.batchSize = batchSize;
			return this;
		}

		/**
		 * Bytes of events after which one read fetches no more, so that a reader far
		 * behind large events catches up with bounded memory; a read always fetches at
		 * least one event. Default 8 MB.
		 * @param batchBytes at least 1
		 * @return this builder
		 */
		public Builder batchBytes(long batchBytes) {
			require(batchBytes >= 1, "batchBytes must be at least 1, but was " + batchBytes);
			this.batchBytes = batchBytes;
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
					new RelaySettings(new WireFormat(this.keyPrefix), this.maxLength,
							(this.maxAge != null) ? this.maxAge.toMillis() : 0, this.publishTimeout, this.connectTimeout,
							this.blockTimeout, this.batchSize, this.batchBytes, this.minBackoff, this.maxBackoff,
							this.lagListener));
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
