package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import dev.ssebroadcast.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client ids stay unique across instances whatever Redis holds: node numbers are held
 * with leases, not counted by a key that an empty Redis starts again.
 */
class NodeLeaseTests {

	private static DirectRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = new DirectRedis();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void instancesStartedBeforeAndAfterRedisLostItsDataNumberTheirClientsApart() {
		try (Instance first = Instance.start(redis.server(), "nodes")) {
			first.connect("/sse");
			redis.server().restartEmpty();
			try (Instance second = Instance.start(redis.server(), "nodes")) {
				second.connect("/sse");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> first.broadcaster().clientCount() == 1 && second.broadcaster().clientCount() == 1);

				long onFirst = clientId(first);
				long onSecond = clientId(second);
				assertThat(onFirst >>> 32).as("node numbers of client ids %s and %s", onFirst, onSecond)
					.isNotEqualTo(onSecond >>> 32);
			}
		}
	}

	@Test
	void numberHeldByAnotherInstanceIsNotTaken() throws Exception {
		assertThat(redis.command("SET", "{leases}:node:5", "another instance")).isEqualTo("+OK");
		NodeLease lease = lease(4, 4, 6);
		try (RelayConnection connection = redis.connection()) {
			assertThat(lease.claim(connection, Duration.ofSeconds(2))).isEqualTo(7);
		}
		assertThat(redis.command("EXISTS", "{leases}:node:7")).isEqualTo(":1");
	}

	@Test
	void leaseThatRedisLostIsClaimedAgain() throws Exception {
		NodeLease lease = lease(10);
		try (RelayConnection connection = redis.connection()) {
			long node = lease.claim(connection, Duration.ofSeconds(2));
			assertThat(redis.command("DEL", "{leases}:node:" + node)).isEqualTo(":1");

			assertThat(lease.renew(connection, Duration.ofSeconds(2))).isTrue();
			assertThat(redis.command("EXISTS", "{leases}:node:" + node)).isEqualTo(":1");
			assertThat(redis.command("PTTL", "{leases}:node:" + node)).as("a lease, not a key for ever")
				.matches(":\\d+");
		}
	}

	@Test
	void numberTakenByAnotherInstanceWhileRedisHadLostItIsReportedNotHeld() throws Exception {
		NodeLease lease = lease(20);
		try (RelayConnection connection = redis.connection()) {
			long node = lease.claim(connection, Duration.ofSeconds(2));
			redis.command("SET", "{leases}:node:" + node, "another instance");

			assertThat(lease.renew(connection, Duration.ofSeconds(2))).isFalse();
		}
	}

	@Test
	void numberDrawnWhileRedisIsUnreachableIsClaimedOnceItAnswers() throws Exception {
		NodeLease lease = lease(30);
		long node = lease.draw();
		try (RelayConnection connection = redis.connection()) {
			assertThat(lease.renew(connection, Duration.ofSeconds(2))).isTrue();
		}
		assertThat(redis.command("EXISTS", "{leases}:node:" + node)).isEqualTo(":1");
	}

	private static NodeLease lease(long... draws) {
		Iterator<Long> next = Arrays.stream(draws).boxed().iterator();
		return new NodeLease(new WireFormat("leases"), "test", next::next, Duration.ofSeconds(30));
	}

	private static long clientId(Instance instance) {
		List<SseClient> clients = instance.broadcaster().clients();
		assertThat(clients).hasSize(1);
		return clients.get(0).id();
	}

}
