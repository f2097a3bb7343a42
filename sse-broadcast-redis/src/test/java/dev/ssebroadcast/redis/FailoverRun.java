package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ssebroadcast.redis.TrackedPublisher.Attempt;
import dev.ssebroadcast.relay.SseRelayException;
import dev.ssebroadcast.test.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances, each with two clients, through a failover of the Redis master that
 * holds the relay's keys: what every HA topology must do, whatever promotes the replica.
 */
final class FailoverRun implements AutoCloseable {

	private final RedisTopology redis;

	private final List<Instance> instances = new ArrayList<>();

	private final List<SseTestClient> clients = new ArrayList<>();

	private final Instance a;

	private final Instance b;

	/**
	 * Start two instances on {@code redis}, which this run closes with them.
	 */
	FailoverRun(RedisTopology redis, String keyPrefix) {
		this.redis = redis;
		try {
			this.instances.add(Instance.start(redis.connectionProperties(), keyPrefix));
			this.instances.add(Instance.start(redis.connectionProperties(), keyPrefix));
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
		this.a = this.instances.get(0);
		this.b = this.instances.get(1);
		for (Instance instance : List.of(this.a, this.b)) {
			this.clients.add(instance.connect("/sse"));
			this.clients.add(instance.connect("/sse"));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.a.broadcaster().clientCount() == 2 && this.b.broadcaster().clientCount() == 2);
	}

	Instance a() {
		return this.a;
	}

	Instance b() {
		return this.b;
	}

	List<SseTestClient> clients() {
		return this.clients;
	}

	/**
	 * Publish from both instances while {@code killMaster} runs and {@code awaitPromoted}
	 * waits for the replica to take over, then check: publishing failed fast, resumed by
	 * itself, and every client got each acknowledged event or an {@code sse-reset}.
	 */
	void publishThroughFailover(Runnable killMaster, Runnable awaitPromoted) throws InterruptedException {
		TrackedPublisher onA = TrackedPublisher.start("a", this.a.broadcaster(), Duration.ofMillis(10));
		TrackedPublisher onB = TrackedPublisher.start("b", this.b.broadcaster(), Duration.ofMillis(10));
		try (onA; onB) {
			await().atMost(Duration.ofSeconds(20)).until(() -> onA.acknowledged() >= 20 && onB.acknowledged() >= 20);

			killMaster.run();

			await("publishing to fail").atMost(Duration.ofSeconds(10)).until(() -> onA.failed() > 0 && onB.failed() > 0);
			awaitPromoted.run();
			await("publishing to resume by itself").atMost(Duration.ofSeconds(30))
				.until(() -> onA.acknowledgedAfterFailure() >= 20 && onB.acknowledgedAfterFailure() >= 20);
		}

		for (TrackedPublisher publisher : List.of(onA, onB)) {
			assertThat(publisher.slowestFailure())
				.as("the longest a publish of %s took to fail, with a 500ms publish timeout", publisher.name())
				.isLessThan(Duration.ofSeconds(2));
		}
		awaitEveryClient("end");
		for (SseTestClient client : this.clients) {
			assertThat(client.isOpen()).as("%s is open", client).isTrue();
			onA.assertEveryAcknowledgedEventOrReset(client.events());
			onB.assertEveryAcknowledgedEventOrReset(client.events());
		}
	}

	/**
	 * Publish on A while the readers are held and the replica copies nothing, then kill
	 * the master and promote the replica: Redis acknowledged writes that it then lost
	 * before any instance read them. Every client must get each acknowledged event or an
	 * {@code sse-reset}, and the new master must not give out their numbers again.
	 */
	void loseUnreplicatedWrites(Runnable cutReplication, Runnable killMaster, Runnable awaitPromoted)
			throws Exception {
		List<Attempt> attempts = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			attempts.add(publish("replicated-" + i));
		}
		for (SseTestClient client : this.clients) {
			client.awaitData("replicated-2");
		}
		try (AutoCloseable pausedOnA = this.a.relay().pauseReader();
				AutoCloseable pausedOnB = this.b.relay().pauseReader()) {
			// Redis answers a read that waits for new entries before this publish returns:
			// the readers, held before their next read, read none of what follows.
			attempts.add(publish("replicated-3"));
			cutReplication.run();
			for (int i = 0; i < 3; i++) {
				attempts.add(publish("unreplicated-" + i));
			}
			killMaster.run();
			awaitPromoted.run();
		}

		awaitEveryClient("after");
		for (SseTestClient client : this.clients) {
			TrackedPublisher.assertEveryAcknowledgedEventOrReset(attempts, client.events());
		}
	}

	private Attempt publish(String data) {
		long started = System.nanoTime();
		this.a.broadcaster().broadcast(data);
		return new Attempt(data, true, Duration.ofNanos(System.nanoTime() - started));
	}

	/**
	 * Publish {@code data-0}, {@code data-1}, ... on A until every client has one of them:
	 * one of these may be lost with an {@code sse-reset}, as any event around a failover.
	 */
	void awaitEveryClient(String data) {
		AtomicInteger next = new AtomicInteger();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			try {
				this.a.broadcaster().broadcast(data + "-" + next.getAndIncrement());
			}
			catch (SseRelayException ex) {
				return false;
			}
			return this.clients.stream()
				.allMatch((client) -> client.data().stream().anyMatch((received) -> received.startsWith(data + "-")));
		});
	}

	@Override
	public void close() {
		this.instances.forEach(Instance::close);
		this.redis.close();
	}

}
