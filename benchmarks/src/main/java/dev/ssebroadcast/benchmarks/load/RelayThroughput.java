package dev.ssebroadcast.benchmarks.load;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.redis.SseRedisRelay;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Two broadcasters in this JVM, each with its own Redis relay and connections, as two
 * instances would be: publishing threads call {@code broadcast} on the first as fast as
 * it returns, and one client on each instance counts what it was written. Measures what
 * one Redis carries, that nothing is lost, and what the stream holds at its retention.
 */
final class RelayThroughput implements AutoCloseable {

	private static final String PREFIX = "bench";

	private final int redisPort;

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<SseBroadcaster> instances = new ArrayList<>();

	private final List<AtomicLong> received = new ArrayList<>();

	RelayThroughput(int redisPort, long maxLength) {
		this.redisPort = redisPort;
		for (int i = 0; i < 2; i++) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", redisPort));
			factory.afterPropertiesSet();
			this.factories.add(factory);
			AtomicLong count = new AtomicLong();
			this.received.add(count);
			SseBroadcaster broadcaster = SseBroadcaster.builder()
				.relay(SseRedisRelay.builder(factory).keyPrefix(PREFIX).maxLength(maxLength).build())
				.clientQueueCapacity(1_000_000)
				.deliveryListener((lag) -> count.incrementAndGet())
				.build();
			this.instances.add(broadcaster);
			SseClient client = broadcaster.connect();
			Thread.ofVirtual().start(() -> client.streamTo(OutputStream.nullOutputStream(), () -> {
			}));
		}
	}

	/**
	 * Publish {@code events} events of {@code payload} from {@code threads} threads at once
	 * on the first instance, then wait until both clients got every one.
	 * @return published events per second, or -1 if any was lost
	 */
	double run(int threads, int events, String payload) throws InterruptedException {
		long before0 = this.received.get(0).get();
		long before1 = this.received.get(1).get();
		SseBroadcaster publisher = this.instances.get(0);
		int perThread = events / threads;
		List<Thread> running = new ArrayList<>();
		long start = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			running.add(Thread.ofPlatform().start(() -> {
				for (int i = 0; i < perThread; i++) {
					publisher.broadcast(payload);
				}
			}));
		}
		for (Thread thread : running) {
			thread.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		long expected = (long) perThread * threads;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline && (this.received.get(0).get() - before0 < expected
				|| this.received.get(1).get() - before1 < expected)) {
			Thread.sleep(10);
		}
		boolean complete = this.received.get(0).get() - before0 == expected
				&& this.received.get(1).get() - before1 == expected;
		return complete ? expected / seconds : -1;
	}

	/**
	 * Round trips per second of a bare {@code PING} from one thread: the floor under any
	 * synchronous publish.
	 */
	double pings(int count) {
		RedisClient client = RedisClient.create("redis://127.0.0.1:" + this.redisPort);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			long start = System.nanoTime();
			for (int i = 0; i < count; i++) {
				redis.ping();
			}
			return count / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			client.shutdown();
		}
	}

	/** The stream's length, its memory and the server's, as Redis reports them. */
	String memory() {
		RedisClient client = RedisClient.create("redis://127.0.0.1:" + this.redisPort);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			String key = "{" + PREFIX + "}:events";
			String usedMemory = redis.info("memory")
				.lines()
				.filter((line) -> line.startsWith("used_memory_human:"))
				.findFirst()
				.orElse("?");
			// SAMPLES 0: every entry counted, not estimated from a few.
			Long streamBytes = redis.dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
					new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0));
			// An entry holds the events published together: field n says how many.
			long events = redis.xrange(key, Range.create("-", "+"))
				.stream()
				.mapToLong((entry) -> Long.parseLong(entry.getBody().getOrDefault("n", "0")))
				.sum();
			return "XLEN " + redis.xlen(key) + " entries holding " + events + " events, MEMORY USAGE " + streamBytes
					+ " bytes, " + usedMemory;
		}
		finally {
			client.shutdown();
		}
	}

	@Override
	public void close() {
		this.instances.forEach(SseBroadcaster::close);
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

}
