package dev.ssebroadcast.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on a master and a replica watched by three sentinels: when the master
 * dies, publishing fails fast, then goes on on the promoted replica by itself, and every
 * client gets each acknowledged event or an {@code sse-reset}.
 */
class RedisSentinelFailoverTests {

	// Noticing takes a second, electing a leader and promoting a few more on a busy machine.
	private static final Duration FAILOVER = Duration.ofSeconds(60);

	private RedisSentinelSet redis;

	private FailoverRun run;

	@BeforeEach
	void start() {
		this.redis = RedisSentinelSet.start();
		this.run = new FailoverRun(this.redis, "sentinel");
	}

	@AfterEach
	void stop() {
		if (this.run != null) {
			this.run.close();
		}
	}

	@Test
	void masterKilledWhileBothPublishFailsFastThenResumesOnThePromotedReplicaWithNoSilentGap() throws Exception {
		this.run.publishThroughFailover(() -> this.redis.master().kill(),
				() -> this.redis.awaitReplicaPromoted(FAILOVER));

		assertThat(this.redis.masterPort()).as("the master's port").isEqualTo(this.redis.replica().port());
	}

	@Test
	void writesTheMasterAcknowledgedButNeverReplicatedAreResetNotASilentGap() throws Exception {
		this.run.loseUnreplicatedWrites(() -> this.redis.master().stopReplicatingTo(this.redis.replica()),
				() -> this.redis.master().kill(), () -> this.redis.awaitReplicaPromoted(FAILOVER));
	}

}
