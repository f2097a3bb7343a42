package dev.ssebroadcast.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.ssebroadcast.relay.InProcessRelay;
import dev.ssebroadcast.relay.SseFanOut;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one reader of an instance: reads the stream from the last entry it read and
 * hands each event to the fan-out, on a virtual thread and a connection of its own.
 * <p>
 * It also makes sure that no client is handed a stream with a hole. Redis may lose
 * data: restarted without persistence, restored from an older snapshot, failed over to
 * a replica that lagged. The position hash then is missing, carries another epoch, or
 * went back to a lower sequence number than this reader delivered. The reader looks
 * after each reconnection and whenever it is idle, and also notices an entry that
 * reuses a number it delivered. It then makes sure a new epoch is in force, tells the
 * fan-out (which sends every client an {@code sse-reset}) and reads the new epoch from
 * its first entry. A reader that fell behind what the stream retains needs no check:
 * the next entry it reads skips numbers, and the fan-out resets clients on that gap.
 */
final class StreamReader implements Runnable {

	private static final Log logger = LogFactory.getLog(SseRedisRelay.class);

	private static final String START = "0-0";

	private static final byte[] EPOCH = StreamEntry.bytes("epoch");

	private static final byte[] SEQUENCE = StreamEntry.bytes("sequence");

	private final Supplier<StatefulConnection<byte[], byte[]>> connector;

	private final RelaySettings settings;

	private final String address;

	private final SseFanOut fanOut;

	private final AcknowledgedPosition acknowledged;

	private final byte[] events;

	private final byte[] position;

	// Lets tests hold the reader between two reads, as a slow or paused instance would be.
	private final Semaphore gate = new Semaphore(1);

	private final AtomicLong reconnects = new AtomicLong();

	private final AtomicLong resets = new AtomicLong();

	private volatile boolean running = true;

	private volatile boolean connected;

	private volatile long connectedSince;

	private volatile @Nullable String error;

	private volatile @Nullable String delivered;

	private volatile long lagMicros;

	private @Nullable Thread thread;

	// Touched only by the reader thread, or by backfill() before that thread starts.

	private @Nullable RelayConnection connection;

	private @Nullable String lastStreamId;

	private @Nullable String epoch;

	private long sequence;

	private @Nullable String awaitedEpoch;

	private boolean checkPosition;

	private boolean failing;

	StreamReader(Supplier<StatefulConnection<byte[], byte[]>> connector, RelaySettings settings, String address,
			SseFanOut fanOut, AcknowledgedPosition acknowledged) {
		this.connector = connector;
		this.settings = settings;
		this.address = address;
		this.fanOut = fanOut;
		this.acknowledged = acknowledged;
		this.events = RedisKeys.bytes(settings.keys().events());
		this.position = RedisKeys.bytes(settings.keys().position());
	}

	/**
	 * Deliver what the stream retains, before any client is connected, so that this
	 * instance can replay events published before it started. Reading gives up at the
	 * publish timeout; the reader then goes on from wherever this got.
	 */
	void backfill() {
		long deadline = System.nanoTime() + this.settings.timeout().toNanos();
		try {
			RelayConnection connection = connection(this.settings.connectTimeout());
			List<StreamMessage<byte[], byte[]>> batch;
			do {
				batch = connection.await(connection.commands()
					.xread(XReadArgs.Builder.count(this.settings.batchSize()), offset(START)), remaining(deadline));
				if (this.lastStreamId == null) {
					this.lastStreamId = START;
				}
				deliver(connection, batch);
			}
			while (batch.size() == this.settings.batchSize() && System.nanoTime() < deadline);
			connected();
		}
		catch (RedisException ex) {
			unreachable(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Start without backfill: Redis is unreachable. The reader starts at the end of the
	 * stream once it reaches Redis.
	 */
	void unreachable(RedisException ex) {
		logger.warn("Redis is unreachable at " + this.address + " (" + ex.getMessage()
				+ "): events are shared with other instances once it is reachable");
		markFailed(ex);
	}

	void start() {
		this.thread = Thread.ofVirtual().name("sse-redis-reader").start(this);
	}

	void stop() {
		this.running = false;
		Thread thread = this.thread;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public void run() {
		Duration backoff = this.settings.minBackoff();
		while (this.running) {
			try {
				this.gate.acquire();
				this.gate.release();
				readOnce();
				backoff = this.settings.minBackoff();
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					break;
				}
				if (!(ex instanceof RedisException)) {
					logger.warn("Reading events from Redis at " + this.address + " failed", ex);
				}
				failed(ex);
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException interrupted) {
					break;
				}
				backoff = min(backoff.multipliedBy(2), this.settings.maxBackoff());
			}
			catch (InterruptedException ex) {
				break;
			}
		}
		closeConnection();
	}

	private void readOnce() throws InterruptedException {
		RelayConnection connection = connection(this.settings.connectTimeout());
		if (this.lastStreamId == null) {
			positionAtEnd(connection);
		}
		if (this.checkPosition) {
			checkPosition(connection);
		}
		List<StreamMessage<byte[], byte[]>> batch = connection.await(connection.commands()
			.xread(XReadArgs.Builder.block(this.settings.blockTimeout()).count(this.settings.batchSize()),
					offset(this.lastStreamId)),
				this.settings.readTimeout());
		if (this.failing) {
			this.failing = false;
			connected();
			logger.info("Redis is reachable again at " + this.address + "; reading events from " + this.lastStreamId);
		}
		if (batch.isEmpty()) {
			// Idle: a good time to see whether Redis still has what was delivered.
			this.checkPosition = true;
		}
		deliver(connection, batch);
	}

	private RelayConnection connection(Duration timeout) throws InterruptedException {
		RelayConnection connection = this.connection;
		if (connection != null && connection.isOpen()) {
			return connection;
		}
		closeConnection();
		connection = RelayConnection.open(this.connector, timeout);
		if (this.failing) {
			this.reconnects.incrementAndGet();
		}
		this.connection = connection;
		return connection;
	}

	/**
	 * Start reading at the end of the stream, when backfill found Redis unreachable and
	 * clients may be connected: whatever other instances published while this one could
	 * not read may have been missed, so clients are told.
	 */
	private void positionAtEnd(RelayConnection connection) throws InterruptedException {
		List<StreamMessage<byte[], byte[]>> last = connection.await(
				connection.commands().xrevrange(this.events, Range.unbounded(), Limit.from(1)),
				this.settings.timeout());
		if (last.isEmpty()) {
			this.lastStreamId = START;
			return;
		}
		StreamEntry entry = StreamEntry.of(last.get(0));
		this.lastStreamId = entry.streamId();
		this.epoch = entry.epoch();
		this.sequence = entry.sequence();
		this.fanOut.lost(entry.epoch(), entry.sequence());
		this.resets.incrementAndGet();
	}

	private void checkPosition(RelayConnection connection) throws InterruptedException {
		this.checkPosition = false;
		String epoch = this.epoch;
		if (epoch == null) {
			return;
		}
		List<KeyValue<byte[], byte[]>> values = connection.await(
				connection.commands().hmget(this.position, EPOCH, SEQUENCE), this.settings.timeout());
		String current = values.get(0).hasValue() ? StreamEntry.text(values.get(0).getValue()) : null;
		if (current == null) {
			resync(renewEpoch(connection, ""), "has none of the events delivered so far");
		}
		else if (!current.equals(epoch)) {
			resync(current, "started epoch " + current);
		}
		else if (values.get(1).hasValue()) {
			// What this instance's publishes were told Redis has, whether read yet or not.
			long reached = Math.max(this.sequence, this.acknowledged.sequenceIn(epoch));
			if (Long.parseLong(StreamEntry.text(values.get(1).getValue())) < reached) {
				resync(renewEpoch(connection, epoch), "went back before " + epoch + "-" + reached);
			}
		}
	}

	private void deliver(RelayConnection connection, List<StreamMessage<byte[], byte[]>> batch)
			throws InterruptedException {
		for (StreamMessage<byte[], byte[]> message : batch) {
			StreamEntry entry;
			try {
				entry = StreamEntry.of(message);
			}
			catch (RuntimeException ex) {
				logger.debug("Skipping stream entry " + message.getId() + ": " + ex.getMessage());
				this.lastStreamId = message.getId();
				continue;
			}
			if (this.awaitedEpoch != null && !this.awaitedEpoch.equals(entry.epoch())) {
				this.lastStreamId = entry.streamId();
				continue;
			}
			this.awaitedEpoch = null;
			if (entry.epoch().equals(this.epoch) && entry.sequence() <= this.sequence) {
				// A new entry reuses a number already delivered: the log went back in time.
				resync(renewEpoch(connection, entry.epoch()), "reused " + entry.epoch() + "-" + entry.sequence());
				return;
			}
			if (this.epoch != null && (!entry.epoch().equals(this.epoch) || entry.sequence() > this.sequence + 1)) {
				// The fan-out resets clients on this gap; say why.
				logger.warn("Events between " + this.epoch + "-" + this.sequence + " and " + entry.epoch() + "-"
						+ entry.sequence() + " are no longer in Redis at " + this.address
						+ " (this reader fell behind the retention, or Redis lost them): clients are sent sse-reset");
				this.resets.incrementAndGet();
			}
			long nowMicros = micros(Instant.now());
			this.fanOut.deliver(entry.toEvent(nowMicros, System.nanoTime()), entry.epoch(), entry.sequence());
			this.lastStreamId = entry.streamId();
			this.epoch = entry.epoch();
			this.sequence = entry.sequence();
			this.delivered = entry.epoch() + "-" + entry.sequence();
			long lagMicros = Math.max(0, nowMicros - entry.publishedMicros());
			this.lagMicros = lagMicros;
			this.settings.lagListener().delivered(lagMicros * 1000);
		}
	}

	/** Make sure an epoch other than {@code replaced} is in force, and return it. */
	private String renewEpoch(RelayConnection connection, String replaced) throws InterruptedException {
		byte[][] keys = { this.position };
		byte[][] args = { StreamEntry.bytes(InProcessRelay.newEpoch()), StreamEntry.bytes(replaced) };
		List<Object> result = connection.run(RelayScript.RENEW_EPOCH, ScriptOutputType.MULTI, keys, args,
				this.settings.timeout());
		return StreamEntry.text((byte[]) result.get(0));
	}

	/**
	 * Go on from the start of {@code newEpoch}: clients are reset, and the stream is read
	 * again from its beginning, skipping what other epochs left in it.
	 */
	private void resync(String newEpoch, String reason) {
		logger.warn("Redis at " + this.address + " " + reason + " (last delivered " + this.epoch + "-"
				+ this.sequence + "): clients are sent sse-reset and events go on in epoch " + newEpoch);
		this.fanOut.lost(newEpoch, 0);
		this.resets.incrementAndGet();
		this.epoch = newEpoch;
		this.sequence = 0;
		this.awaitedEpoch = newEpoch;
		this.lastStreamId = START;
	}

	private void connected() {
		this.connectedSince = System.nanoTime();
		this.connected = true;
		this.error = null;
	}

	private void failed(RuntimeException ex) {
		if (!this.failing) {
			logger.warn("Reading events from Redis at " + this.address + " failed (" + ex.getMessage()
					+ "); retrying with backoff");
		}
		markFailed(ex);
	}

	private void markFailed(RuntimeException ex) {
		this.failing = true;
		this.connected = false;
		this.error = ex.getMessage();
		this.checkPosition = true;
		closeConnection();
	}

	private void closeConnection() {
		RelayConnection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			connection.close();
		}
	}

	private StreamOffset<byte[]> offset(@Nullable String after) {
		return StreamOffset.from(this.events, (after != null) ? after : START);
	}

	/** Hold the reader before its next read until the returned handle is closed. */
	AutoCloseable pause() throws InterruptedException {
		this.gate.acquire();
		return this.gate::release;
	}

	boolean isConnected() {
		return this.connected;
	}

	/** When the reader last became connected, as {@link System#nanoTime()}. */
	long connectedSince() {
		return this.connectedSince;
	}

	@Nullable String error() {
		return this.error;
	}

	@Nullable String delivered() {
		return this.delivered;
	}

	long lagMicros() {
		return this.lagMicros;
	}

	long reconnects() {
		return this.reconnects.get();
	}

	long resets() {
		return this.resets.get();
	}

	static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
	}

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
