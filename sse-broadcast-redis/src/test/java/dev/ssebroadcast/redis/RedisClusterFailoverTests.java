package dev.ssebroadcast.redis;

import java.time.Duration;

import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on a Redis Cluster of three masters, the relay's keys in one slot whose
 * master has a replica: the relay works through the cluster's nodes, and when that
 * master dies, publishing fails fast, then goes on on the promoted replica by itself, and
 * every client gets each acknowledged event or an {@code sse-reset}.
 */
class RedisClusterFailoverTests {

	private static final String KEY_PREFIX = "cluster";

	private RedisClusterSet redis;

	private FailoverRun run;

	@BeforeEach
	void start() {
		this.redis = RedisClusterSet.start("{" + KEY_PREFIX + "}");
		this.run = new FailoverRun(this.redis, KEY_PREFIX);
	}

	@AfterEach
	void stop() {
		if (this.run != null) {
			this.run.close();
		}
	}

	@Test
	void relaySharesEventsThroughTheCluster() {
		this.run.a().broadcaster().broadcast("from A");
		this.run.b().broadcaster().broadcast("from B");

		for (SseTestClient client : this.run.clients()) {
			assertThat(client.awaitData("from A", "from B")).containsExactly("from A", "from B");
		}
		assertThat(this.run.clients().get(0).events()).containsExactlyElementsOf(this.run.clients().get(3).events());
	}

	@Test
	void slotMasterKilledWhileBothPublishFailsFastThenResumesOnThePromotedReplicaWithNoSilentGap() throws Exception {
		this.run.publishThroughFailover(() -> this.redis.slotMaster().kill(),
				() -> this.redis.awaitReplicaPromoted(Duration.ofSeconds(60)));
	}

	@Test
	void writesTheSlotMasterAcknowledgedButNeverReplicatedAreResetNotASilentGap() throws Exception {
		this.run.loseUnreplicatedWrites(() -> this.redis.slotMaster().stopReplicatingTo(this.redis.replica()),
				() -> this.redis.slotMaster().kill(), () -> this.redis.awaitReplicaPromoted(Duration.ofSeconds(60)));
	}

}
