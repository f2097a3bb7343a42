package dev.ssebroadcast.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import dev.ssebroadcast.redis.PositionCheck.Verdict;
import dev.ssebroadcast.redis.WireFormat.InvalidStateException;
import dev.ssebroadcast.redis.WireFormat.StoredPosition;
import dev.ssebroadcast.relay.InProcessRelay;
import dev.ssebroadcast.relay.Position;
import dev.ssebroadcast.relay.SseFanOut;
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
 * The one reader of an instance: reads the stream after the last entry it read and
 * hands each event to the fan-out, on a virtual thread and a connection of its own.
 * <p>
 * Reads are bounded by count and by bytes, so that a reader far behind large events
 * catches up in steps of bounded memory. When the next event does not follow the last
 * one delivered (this reader fell behind the retention, or Redis lost events), and when
 * a read that finds nothing new learns from {@link PositionCheck} that Redis no longer
 * holds what was delivered, the reader resyncs: it makes sure a new epoch is in force
 * where numbers could repeat, resets clients once and goes on after the stream's last
 * entry (or from it, when that is the event that broke continuity). It does not deliver
 * a backlog: clients that are reset reload what they show, and would take it as a burst
 * that overflows the slow ones.
 */
final class StreamReader implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamReader.class);

	private final Supplier<StatefulConnection<byte[], byte[]>> connector;

	private final RelaySettings settings;

	private final WireFormat format;

	private final String address;

	private final SseFanOut fanOut;

	private final AcknowledgedPosition acknowledged;

	private final ReaderStatus status = new ReaderStatus();

	// Lets tests hold the reader between two reads, as a slow or paused instance would be.
	private final Semaphore gate = new Semaphore(1);

	// Lets tests act between an idle reader's reading of the position and its check.
	private volatile Runnable positionRead = () -> {
	};

	private volatile boolean running = true;

	private @Nullable Thread thread;

	// Touched only by the reader thread, or by backfill() before that thread starts.

	private @Nullable RelayConnection connection;

	private @Nullable String lastStreamId;

	private @Nullable Position delivered;

	private boolean checkPosition;

	private boolean failing;

	private boolean skipping;

	private boolean backfilling;

	StreamReader(Supplier<StatefulConnection<byte[], byte[]>> connector, RelaySettings settings, String address,
			SseFanOut fanOut, AcknowledgedPosition acknowledged) {
		this.connector = connector;
		this.acknowledged = acknowledged;
		this.settings = settings;
		this.format = settings.format();
		this.address = address;
		this.fanOut = fanOut;
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
			this.lastStreamId = WireFormat.START;
			this.backfilling = true;
			List<StreamMessage<byte[], byte[]>> batch;
			do {
				batch = readRange(connection);
				deliver(connection, batch);
			}
			while (!batch.isEmpty() && System.nanoTime() < deadline);
			this.status.connected();
		}
		catch (RedisException ex) {
			unreachable(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.backfilling = false;
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
			// Clients may be connected, and what was published meanwhile is not known here.
			resync(stored(connection, ""), "was not reachable when this instance started");
		}
		else if (this.checkPosition) {
			checkPosition(connection);
		}
		List<StreamMessage<byte[], byte[]>> batch = readRange(connection);
		if (batch.isEmpty()) {
			batch = connection.await(connection.commands()
				.xread(XReadArgs.Builder.block(this.settings.blockTimeout()).count(1), offset()),
					this.settings.readTimeout());
			// Idle: a good time to see whether Redis still has what was delivered.
			this.checkPosition = batch.isEmpty();
		}
		if (this.failing) {
			this.failing = false;
			this.status.connected();
			logger.info("Redis is reachable again at " + this.address + "; reading events after " + this.lastStreamId);
		}
		deliver(connection, batch);
	}

	/** The entries after the last one read, bounded by count and bytes; does not wait. */
	private List<StreamMessage<byte[], byte[]>> readRange(RelayConnection connection) throws InterruptedException {
		List<Object> reply = connection.run(WireFormat.READ, ScriptOutputType.MULTI,
				new byte[][] { this.format.eventsKey() },
				WireFormat.readArguments(lastStreamId(), this.settings.batchSize(), this.settings.batchBytes()),
				this.settings.readTimeout());
		return this.format.entries(reply);
	}

	private void checkPosition(RelayConnection connection) throws InterruptedException {
		this.checkPosition = false;
		// What this instance's publishes were told Redis has, whether read yet or not. Taken
		// before Redis is asked: a publish answered after that question ran in Redis after
		// it too, and would look lost.
		Position reached = this.acknowledged.reached(this.delivered);
		StoredPosition stored = stored(connection, "");
		this.positionRead.run();
		Verdict verdict = PositionCheck.check(reached, lastStreamId(), stored);
		if (verdict != null) {
			if (verdict.renew()) {
				stored = stored(connection, stored.position().epoch());
			}
			resync(stored, verdict.reason());
		}
	}

	private void deliver(RelayConnection connection, List<StreamMessage<byte[], byte[]>> batch)
			throws InterruptedException {
		for (StreamMessage<byte[], byte[]> message : batch) {
			List<StreamEntry> events;
			try {
				events = this.format.events(message);
			}
			catch (InvalidStateException ex) {
				skip(message.getId(), ex);
				continue;
			}
			this.skipping = false;
			if (!deliverEntry(connection, events)) {
				return;
			}
		}
	}

	/**
	 * Deliver the events of one entry, in order.
	 * @return whether to go on with the next entry: not after a resync
	 */
	private boolean deliverEntry(RelayConnection connection, List<StreamEntry> events) throws InterruptedException {
		for (StreamEntry entry : events) {
			Position last = this.delivered;
			Position position = entry.position();
			if (last != null && !last.isFollowedBy(position)) {
				if (last.epoch().equals(position.epoch()) && position.sequence() <= last.sequence()) {
					// A new entry reuses a number already delivered: the log went back in time.
					resync(stored(connection, position.epoch()), "appended " + position + " again");
					return false;
				}
				String gap = "has no events between " + last + " and " + position
						+ " (this reader fell behind the retention, or Redis lost them)";
				if (this.backfilling) {
					// No client is connected yet: the fan-out forgets what came before.
					logger.info("Redis at " + this.address + " " + gap + "; this instance's history starts after it");
				}
				else {
					StoredPosition stored = stored(connection, "");
					if (stored.repaired() != null || !stored.lastStreamId().equals(entry.streamId())) {
						// Clients are reset either way: what follows would reach them as a burst.
						resync(stored, gap);
						return false;
					}
					// The last entry: the fan-out resets clients, then delivers it.
					logger.warn("Redis at " + this.address + " " + gap + ": clients are sent sse-reset");
					this.status.reset();
				}
			}
			long nowMicros = micros(Instant.now());
			this.fanOut.deliver(entry.toEvent(nowMicros, System.nanoTime()), position);
			this.lastStreamId = entry.streamId();
			this.delivered = position;
			long lagMicros = Math.max(0, nowMicros - entry.publishedMicros());
			this.status.delivered(position.id(), lagMicros);
			this.settings.lagListener().delivered(lagMicros * 1000);
		}
		return true;
	}

	/**
	 * Pass over an entry that is not an event. If it took a number, the next event skips
	 * it and clients are reset; the first of a run of such entries is logged.
	 */
	private void skip(String streamId, InvalidStateException ex) {
		if (!this.skipping) {
			logger.warn("Skipping what is not an event in Redis at " + this.address + ": " + ex.getMessage()
					+ "; if it took an event's number, clients are sent sse-reset");
		}
		this.skipping = true;
		this.status.skippedOne();
		this.lastStreamId = streamId;
	}

	/**
	 * The position in force and the stream's last entry; an invalid position, or the
	 * epoch {@code replaced}, is first replaced by a new epoch.
	 */
	private StoredPosition stored(RelayConnection connection, String replaced) throws InterruptedException {
		byte[][] args = WireFormat.positionArguments(InProcessRelay.newEpoch(), replaced, this.acknowledged.highest());
		return this.format.stored(connection.run(WireFormat.POSITION, ScriptOutputType.MULTI,
				this.format.positionKeys(), args, this.settings.timeout()));
	}

	/**
	 * Go on after the stream's last entry, at the position in force: clients are reset
	 * once, and what lies before is not delivered.
	 */
	private void resync(StoredPosition stored, String reason) {
		if (this.delivered != null || stored.repaired() != null) {
			logger.warn("Redis at " + this.address + " " + reason + " (last delivered here " + this.delivered
					+ "): clients are sent sse-reset and events go on after " + stored.position());
		}
		this.fanOut.lost(stored.position());
		this.status.reset();
		this.delivered = stored.position();
		this.lastStreamId = stored.lastStreamId();
	}

	private RelayConnection connection(Duration timeout) throws InterruptedException {
		RelayConnection connection = this.connection;
		if (connection != null && connection.isOpen()) {
			return connection;
		}
		closeConnection();
		connection = RelayConnection.open(this.connector, timeout, this.settings.readTimeout());
		if (this.failing) {
			this.status.reconnected();
		}
		this.connection = connection;
		return connection;
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
		this.status.failed(ex.getMessage());
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

	private StreamOffset<byte[]> offset() {
		return StreamOffset.from(this.format.eventsKey(), lastStreamId());
	}

	private String lastStreamId() {
		String last = this.lastStreamId;
		return (last != null) ? last : WireFormat.START;
	}

	/** Hold the reader before its next read until the returned handle is closed. */
	AutoCloseable pause() throws InterruptedException {
		this.gate.acquire();
		return this.gate::release;
	}

	/** Run {@code action} each time an idle reader has read the position, before it checks it. */
	void afterPositionRead(Runnable action) {
		this.positionRead = action;
	}

	ReaderStatus status() {
		return this.status;
	}

	static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
