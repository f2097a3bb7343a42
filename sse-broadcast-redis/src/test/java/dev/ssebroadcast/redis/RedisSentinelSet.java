package dev.ssebroadcast.redis;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;


import static org.awaitility.Awaitility.await;

/**
 * A master, one replica and three sentinels that watch them, each a real
 * {@code redis-server} on loopback. Killing the master makes the sentinels promote the
 * replica: with a second to notice, that takes a few seconds.
 */
final class RedisSentinelSet implements RedisTopology {

	static final String MASTER_NAME = "relay";

	private static final Duration READY = Duration.ofSeconds(30);

	private final RedisServer master;

	private final RedisServer replica;

	private final List<RedisServer> sentinels = new ArrayList<>();

	private RedisSentinelSet() {
		this.master = RedisServer.start();
		this.replica = RedisServer.startWith("--replicaof", "127.0.0.1", Integer.toString(this.master.port()));
		// Quorum 2 of 3: one sentinel alone can neither declare the master down nor fail over.
		String configuration = """
				sentinel monitor %1$s 127.0.0.1 %2$d 2
				sentinel down-after-milliseconds %1$s 1000
				sentinel failover-timeout %1$s 10000
				""".formatted(MASTER_NAME, this.master.port());
		for (int i = 0; i < 3; i++) {
			this.sentinels.add(RedisServer.startSentinel(configuration));
		}
	}

	/**
	 * Start the set and wait until the replica copies the master and every sentinel
	 * knows the replica and the other two sentinels: only then can they fail over.
	 * @return the running set
	 */
	static RedisSentinelSet start() {
		RedisSentinelSet set = new RedisSentinelSet();
		try {
			await("the replica to copy the master").atMost(READY)
				.until(() -> set.replica.commands((redis) -> redis.info("replication"))
					.contains("master_link_status:up"));
			for (RedisServer sentinel : set.sentinels) {
				await("sentinel on port " + sentinel.port() + " to know the replica and the other sentinels")
					.atMost(READY)
					.ignoreExceptions()
					.until(() -> {
						Map<String, String> master = sentinel.sentinelCommands((commands) -> commands.master(MASTER_NAME));
						return "1".equals(master.get("num-slaves")) && "2".equals(master.get("num-other-sentinels"));
					});
			}
			return set;
		}
		catch (RuntimeException ex) {
			set.close();
			throw ex;
		}
	}

	@Override
	public List<String> connectionProperties() {
		return List.of("spring.data.redis.sentinel.master=" + MASTER_NAME,
				"spring.data.redis.sentinel.nodes=" + RedisTopology.addresses(this.sentinels));
	}

	RedisServer master() {
		return this.master;
	}

	RedisServer replica() {
		return this.replica;
	}

	/** The port of the master as the first sentinel names it now. */
	int masterPort() {
		return port(this.sentinels.get(0).sentinelCommands((commands) -> commands.getMasterAddrByName(MASTER_NAME)));
	}

	/**
	 * Wait until every sentinel names the replica as the master, and the replica takes
	 * writes.
	 */
	void awaitReplicaPromoted(Duration timeout) {
		await("the sentinels to promote the replica on port " + this.replica.port()).atMost(timeout)
			.ignoreExceptions()
			.until(() -> this.sentinels.stream()
				.allMatch((sentinel) -> port(sentinel
					.sentinelCommands((commands) -> commands.getMasterAddrByName(MASTER_NAME))) == this.replica.port())
					&& this.replica.commands((redis) -> redis.info("replication")).contains("role:master"));
	}

	private static int port(SocketAddress address) {
		return ((InetSocketAddress) address).getPort();
	}

	@Override
	public void close() {
		this.sentinels.forEach(RedisServer::close);
		this.replica.close();
		this.master.close();
	}

}
