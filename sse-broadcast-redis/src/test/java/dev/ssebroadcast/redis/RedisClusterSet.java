package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.api.sync.RedisCommands;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of three masters, each a real {@code redis-server} on loopback, and one
 * replica of the master that holds a given key's slot: killing that master makes the
 * others promote the replica, within about a second after they stop hearing from it.
 */
final class RedisClusterSet implements RedisTopology {

	private static final int SLOTS = 16384;

	private static final Duration READY = Duration.ofSeconds(30);

	private final List<RedisServer> masters = new ArrayList<>();

	private final RedisServer replica;

	private final RedisServer slotMaster;

	private RedisClusterSet(String key) {
		for (int i = 0; i < 3; i++) {
			this.masters.add(startNode());
		}
		this.replica = startNode();
		for (int i = 0; i < 3; i++) {
			int[] slots = IntStream.range(i * SLOTS / 3, (i + 1) * SLOTS / 3).toArray();
			this.masters.get(i).commands((redis) -> redis.clusterAddSlots(slots));
		}
		for (RedisServer node : nodes().subList(1, 4)) {
			this.masters.get(0).commands((redis) -> redis.clusterMeet("127.0.0.1", node.port()));
		}
		await("every node to know the others").atMost(READY)
			.until(() -> nodes().stream()
				.allMatch((node) -> node.commands((redis) -> redis.clusterNodes()).lines().count() == 4));
		int slot = this.masters.get(0).commands((redis) -> redis.clusterKeyslot(key)).intValue();
		this.slotMaster = this.masters.get(slot * 3 / SLOTS);
		String slotMasterId = this.slotMaster.commands(RedisCommands::clusterMyId);
		this.replica.commands((redis) -> redis.clusterReplicate(slotMasterId));
	}

	/**
	 * Start the cluster and wait until every node says it is ok and the replica copies
	 * the master of {@code key}'s slot.
	 * @param key a key whose slot's master gets the replica
	 * @return the running cluster
	 */
	static RedisClusterSet start(String key) {
		RedisClusterSet set = new RedisClusterSet(key);
		try {
			await("the cluster to be ok and the replica to copy its master").atMost(READY).until(() -> set.nodes()
				.stream()
				.allMatch((node) -> node.commands(RedisCommands::clusterInfo).contains("cluster_state:ok"))
					&& set.replica.commands((redis) -> redis.info("replication")).contains("master_link_status:up"));
			return set;
		}
		catch (RuntimeException ex) {
			set.close();
			throw ex;
		}
	}

	/**
	 * The cluster's masters, and a topology refresh every second: without one (Boot's
	 * default, adaptive refresh on or off), the client learned of the promoted replica
	 * about 7 s after the promotion on this machine, 1 s with it.
	 */
	@Override
	public List<String> connectionProperties() {
		return List.of("spring.data.redis.cluster.nodes=" + RedisTopology.addresses(this.masters),
				"spring.data.redis.lettuce.cluster.refresh.period=1s");
	}

	/** The master of the slot given at start, which has the replica. */
	RedisServer slotMaster() {
		return this.slotMaster;
	}

	RedisServer replica() {
		return this.replica;
	}

	/** Wait until the replica is a master, and every other master says the cluster is ok. */
	void awaitReplicaPromoted(Duration timeout) {
		await("the cluster to promote the replica on port " + this.replica.port()).atMost(timeout)
			.ignoreExceptions()
			.until(() -> this.replica.commands((redis) -> redis.info("replication")).contains("role:master")
					&& this.masters.stream()
						.filter(RedisServer::isRunning)
						.allMatch((node) -> node.commands(RedisCommands::clusterInfo).contains("cluster_state:ok")));
	}

	private List<RedisServer> nodes() {
		List<RedisServer> nodes = new ArrayList<>(this.masters);
		nodes.add(this.replica);
		return nodes;
	}

	private static RedisServer startNode() {
		// A node that others stop hearing from for a second is failed over.
		return RedisServer.startWith("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
				"--cluster-node-timeout", "1000");
	}

	@Override
	public void close() {
		nodes().forEach(RedisServer::close);
	}

}
