package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ssebroadcast.redis.TrackedPublisher.Attempt;
import dev.ssebroadcast.test.SseTestClient;
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
		Instance a = this.run.a();
		List<Attempt> attempts = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			attempts.add(publish(a, "replicated-" + i));
		}
		for (SseTestClient client : this.run.clients()) {
			client.awaitData("replicated-2");
		}
		try (AutoCloseable pausedOnA = a.relay().pauseReader(); AutoCloseable pausedOnB = this.run.b().relay().pauseReader()) {
			// Redis answers a read that waits for new entries before this publish returns:
			// the readers, held before their next read, read none of what follows.
			attempts.add(publish(a, "replicated-3"));
			this.redis.cutReplication();
			for (int i = 0; i < 3; i++) {
				attempts.add(publish(a, "unreplicated-" + i));
			}
			this.redis.master().kill();
			this.redis.awaitReplicaPromoted(FAILOVER);
		}

		this.run.awaitEveryClient("after");
		for (SseTestClient client : this.run.clients()) {
			TrackedPublisher.assertEveryAcknowledgedEventOrReset(attempts, client.events());
		}
	}

	private static Attempt publish(Instance instance, String data) {
		long started = System.nanoTime();
		instance.broadcaster().broadcast(data);
		return new Attempt(data, true, Duration.ofNanos(System.nanoTime() - started));
	}

}
