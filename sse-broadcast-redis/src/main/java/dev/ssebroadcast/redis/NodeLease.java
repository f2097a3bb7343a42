package dev.ssebroadcast.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongSupplier;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * This instance's node number, which makes its client ids unique across instances:
 * client ids are the node number times 2<sup>32</sup> plus 1, 2, 3…
 * <p>
 * A counter in Redis would start again at 1 after Redis lost its data, and hand a
 * running instance's number to the next one. Instead the number is drawn at random from
 * 2<sup>31</sup> - 1 and held with a lease in Redis ({@code {prefix}:node:<n>}, a
 * random token of this instance's): an instance that starts draws again while the number
 * it drew is held. The lease is renewed every third of its length, and claimed again if
 * Redis lost it, so a number stays held as long as its instance runs and Redis is
 * reachable. An instance that starts while Redis is unreachable keeps the number it drew
 * and claims it once Redis answers. Two instances share a number only if both drew it
 * while Redis could not tell them apart: one chance in 2<sup>31</sup> for each such pair,
 * logged as an error if it is ever found.
 */
final class NodeLease {

	private static final Log logger = LogFactory.getLog(NodeLease.class);

	/** How long a number stays held after its instance stops renewing it. */
	static final Duration LEASE = Duration.ofSeconds(30);

	private static final int DRAWS = 16;

	private final WireFormat format;

	private final String address;

	private final LongSupplier draws;

	private final Duration lease;

	private final byte[] token;

	private volatile long node;

	private volatile boolean conflictLogged;

	/**
	 * @param draws random numbers, each reduced to a node number from 1 to 2^31 - 1
	 * @param lease how long a number stays held without renewal
	 */
	NodeLease(WireFormat format, String address, LongSupplier draws, Duration lease) {
		this.format = format;
		this.address = address;
		this.draws = draws;
		this.lease = lease;
		byte[] token = new byte[16];
		new SecureRandom().nextBytes(token);
		this.token = WireFormat.bytes(HexFormat.of().formatHex(token));
	}

	static LongSupplier randomDraws() {
		SecureRandom random = new SecureRandom();
		return random::nextLong;
	}

	/**
	 * Draw numbers until one is free and hold it; if Redis cannot be asked, keep the
	 * first number drawn and say so.
	 * @param connection where to claim it, or {@code null} if Redis is unreachable
	 * @return the node number
	 */
	long claim(RelayConnection connection, Duration timeout) throws InterruptedException {
		for (int draw = 0; draw < DRAWS; draw++) {
			this.node = next();
			if (claimed(connection, timeout)) {
				return this.node;
			}
		}
		throw new RedisException("no free node number in " + DRAWS + " draws");
	}

	/**
	 * Keep a number drawn without asking Redis, which is unreachable.
	 * @return the node number
	 */
	long draw() {
		this.node = next();
		return this.node;
	}

	/**
	 * Renew the lease, or claim the number again if Redis lost it.
	 * @return whether this instance holds its number
	 */
	boolean renew(RelayConnection connection, Duration timeout) throws InterruptedException {
		boolean held = claimed(connection, timeout);
		if (!held && !this.conflictLogged) {
			this.conflictLogged = true;
			logger.error("Node number " + this.node + " of this instance is held by another instance in Redis at "
					+ this.address + " (both drew it while Redis had lost its leases): client ids of the two "
					+ "instances may collide until one of them restarts");
		}
		return held;
	}

	long node() {
		return this.node;
	}

	/** How often the lease is renewed. */
	Duration renewal() {
		return this.lease.dividedBy(3);
	}

	private boolean claimed(RelayConnection connection, Duration timeout) throws InterruptedException {
		Long held = connection.run(WireFormat.CLAIM, ScriptOutputType.INTEGER, this.format.nodeKeys(this.node),
				new byte[][] { this.token, WireFormat.bytes(Long.toString(this.lease.toMillis())) }, timeout);
		return held != null && held == 1;
	}

	private long next() {
		return 1 + Math.floorMod(this.draws.getAsLong(), (1L << 31) - 1);
	}

}
