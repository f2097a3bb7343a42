package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseStatistics;
import dev.ssebroadcast.redis.SseRedisRelay;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Events per second that 1, 16 and 64 threads publish through one instance's Redis relay,
 * next to the limit measured in the same run: Lettuce appending entries of the same size
 * with {@code XADD}, pipelined with a bounded window of commands in flight. Each
 * measurement lasts a few seconds and is repeated, so that the spread shows how noisy the
 * machine is; Redis's CPU time and its time per command come from {@code INFO}.
 * <pre>
 * java -cp … dev.ssebroadcast.benchmarks.load.PublishThroughputRun --redis-server=… [--rounds=3] [--seconds=3] [--port=…]
 * </pre>
 * Prints a Markdown table; see {@code benchmarks/run-scale-out.sh --publish}.
 */
public final class PublishThroughputRun {

	private static final int[] THREADS = { 1, 16, 64 };

	// As many commands in flight as the most publishing threads can have.
	private static final int WINDOW = 64;

	private static final String PAYLOAD = "x".repeat(64);

	private PublishThroughputRun() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		String redisServer = options.get("redis-server");
		if (redisServer == null) {
			throw new IllegalArgumentException("--redis-server=<path to redis-server> is required");
		}
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
		long seconds = Long.parseLong(options.getOrDefault("seconds", "3"));
		int port = options.containsKey("port") ? Integer.parseInt(options.get("port")) : freePort();
		Path logs = Files.createDirectories(Path.of(options.getOrDefault("logs", "benchmarks/target/publish")));

		Map<String, List<Measurement>> results = new LinkedHashMap<>();
		long undelivered = 0;
		try (RedisProcess redis = RedisProcess.start(redisServer, port, logs.resolve("redis.log"));
				RedisStats stats = new RedisStats(port);
				Relay relay = new Relay(port)) {
			// Warm up both paths: class loading, JIT, the script cached in Redis.
			relay.publish(16, TimeUnit.SECONDS.toNanos(2));
			relay.awaitDelivered(TimeUnit.SECONDS.toNanos(30));
			rawXadd(stats, TimeUnit.SECONDS.toNanos(2));
			for (int round = 0; round < rounds; round++) {
				for (int threads : THREADS) {
					stats.reset();
					long started = System.nanoTime();
					long events = relay.publish(threads, TimeUnit.SECONDS.toNanos(seconds));
					Measurement measurement = stats.measurement(events, System.nanoTime() - started, "evalsha");
					undelivered += relay.awaitDelivered(TimeUnit.SECONDS.toNanos(30));
					results.computeIfAbsent("relay, " + threads + " threads", (key) -> new ArrayList<>())
						.add(measurement);
				}
				stats.reset();
				long started = System.nanoTime();
				long events = rawXadd(stats, TimeUnit.SECONDS.toNanos(seconds));
				results.computeIfAbsent("raw XADD, window " + WINDOW, (key) -> new ArrayList<>())
					.add(stats.measurement(events, System.nanoTime() - started, "xadd"));
			}
		}
		System.out.println(table(results));
		System.out.printf("Events published through the relay and not delivered to the instance's client within 30 s"
				+ " of the end of their run: %d.%n", undelivered);
	}

	// Taken by Redis a moment later: other programs on the machine rarely take it first.
	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Append entries like the relay's (the same fields and sizes) from one thread, at
	 * most {@link #WINDOW} unanswered at a time.
	 * @return how many were appended
	 */
	private static long rawXadd(RedisStats stats, long nanos) throws InterruptedException {
		Semaphore window = new Semaphore(WINDOW);
		LongAdder appended = new LongAdder();
		XAddArgs trim = XAddArgs.Builder.maxlen(10_000).approximateTrimming();
		RedisAsyncCommands<String, String> redis = stats.connection().async();
		String frame = "data: " + PAYLOAD + "\n\n";
		long deadline = System.nanoTime() + nanos;
		long sequence = 0;
		while (System.nanoTime() < deadline) {
			window.acquire();
			sequence++;
			redis.xadd("{raw}:events", trim, "e", "epoch", "s", Long.toString(sequence), "a", "0", "t", "", "p",
					Long.toString(System.currentTimeMillis() * 1000), "f", frame)
				.whenComplete((id, failure) -> {
					if (failure == null) {
						appended.increment();
					}
					window.release();
				});
		}
		window.acquire(WINDOW);
		return appended.sum();
	}

	private static String table(Map<String, List<Measurement>> results) {
		StringBuilder table = new StringBuilder(
				"| Publisher | Events/s, median (min–max) | Redis CPU, median | Redis µs per call, median |\n"
						+ "|---|---:|---:|---:|\n");
		results.forEach((name, runs) -> table.append("| ")
			.append(name)
			.append(" | ")
			.append(String.format("%,.0f (%,.0f–%,.0f)", median(runs, Measurement::perSecond),
					runs.stream().mapToDouble(Measurement::perSecond).min().orElse(0),
					runs.stream().mapToDouble(Measurement::perSecond).max().orElse(0)))
			.append(String.format(" | %.0f%% | %.2f |%n", 100 * median(runs, Measurement::redisCpu),
					median(runs, Measurement::microsPerCall))));
		table.append("\nRedis µs per appended event, by command (the last round):\n\n");
		results.forEach((name, runs) -> {
			StringBuilder line = new StringBuilder("- ").append(name).append(':');
			runs.get(runs.size() - 1)
				.microsPerEvent()
				.forEach((command, micros) -> line.append(String.format(" %s %.2f,", command, micros)));
			table.append(line.substring(0, line.length() - 1)).append('\n');
		});
		List<Measurement> relay = results.get("relay, 64 threads");
		List<Measurement> raw = results.get("raw XADD, window " + WINDOW);
		List<String> ratios = new ArrayList<>();
		for (int i = 0; i < relay.size(); i++) {
			ratios.add(String.format("%.2f", relay.get(i).perSecond() / raw.get(i).perSecond()));
		}
		table.append(String.format("%nRelay at 64 threads / raw XADD, per round: %s; of the medians: %.2f.%n",
				String.join(", ", ratios), median(relay, Measurement::perSecond) / median(raw, Measurement::perSecond)));
		return table.toString();
	}

	private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> value) {
		double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/**
	 * One timed run.
	 *
	 * @param perSecond events appended per second
	 * @param redisCpu Redis's CPU time over the run's wall time (1 is one core busy)
	 * @param microsPerCall Redis's time per call of the measured command
	 * @param microsPerEvent Redis's time per appended event in each command it ran,
	 * commands that scripts call counted apart as well
	 */
	private record Measurement(double perSecond, double redisCpu, double microsPerCall,
			Map<String, Double> microsPerEvent) {

	}

	/**
	 * One broadcaster with a Redis relay, and a client streaming what it reads, as an
	 * instance is: publishing also pays for the reader's {@code XREAD}.
	 */
	private static final class Relay implements AutoCloseable {

		private final LettuceConnectionFactory factory;

		private final SseBroadcaster broadcaster;

		Relay(int port) {
			this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
			this.factory.afterPropertiesSet();
			this.factory.start();
			this.broadcaster = SseBroadcaster.builder()
				.relay(SseRedisRelay.builder(this.factory).keyPrefix("publish").maxLength(10_000).build())
				.clientQueueCapacity(1_000_000)
				.build();
			SseClient client = this.broadcaster.connect();
			Thread.ofVirtual().start(() -> client.streamTo(OutputStream.nullOutputStream(), () -> {
			}));
		}

		/**
		 * Wait until the instance's client has every event published so far: the reader
		 * keeps up, and what was appended is read back.
		 * @return how many it still lacks after {@code nanos}
		 */
		long awaitDelivered(long nanos) throws InterruptedException {
			long deadline = System.nanoTime() + nanos;
			while (true) {
				SseStatistics statistics = this.broadcaster.statistics();
				long lacking = statistics.published() - statistics.delivered();
				if (lacking <= 0 || System.nanoTime() > deadline) {
					return Math.max(0, lacking);
				}
				Thread.sleep(10);
			}
		}

		/**
		 * Publish from {@code threads} threads until {@code nanos} have passed.
		 * @return how many publishes returned
		 */
		long publish(int threads, long nanos) throws InterruptedException {
			LongAdder published = new LongAdder();
			long deadline = System.nanoTime() + nanos;
			List<Thread> running = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				running.add(Thread.ofPlatform().start(() -> {
					while (System.nanoTime() < deadline) {
						this.broadcaster.broadcast(PAYLOAD);
						published.increment();
					}
				}));
			}
			for (Thread thread : running) {
				thread.join();
			}
			return published.sum();
		}

		@Override
		public void close() {
			this.broadcaster.close();
			this.factory.destroy();
		}

	}

	/** Redis's own counters: CPU time and time per command, reset between runs. */
	private static final class RedisStats implements AutoCloseable {

		private final RedisClient client;

		private final StatefulRedisConnection<String, String> connection;

		private double cpuAtReset;

		RedisStats(int port) {
			this.client = RedisClient.create("redis://127.0.0.1:" + port);
			this.connection = this.client.connect();
		}

		StatefulRedisConnection<String, String> connection() {
			return this.connection;
		}

		void reset() {
			RedisCommands<String, String> redis = this.connection.sync();
			redis.configResetstat();
			this.cpuAtReset = cpuSeconds(redis.info("cpu"));
		}

		Measurement measurement(long events, long nanos, String command) {
			RedisCommands<String, String> redis = this.connection.sync();
			double cpu = cpuSeconds(redis.info("cpu")) - this.cpuAtReset;
			String stats = redis.info("commandstats");
			double micros = stats.lines()
				.filter((line) -> line.startsWith("cmdstat_" + command + ":"))
				.map((line) -> line.replaceAll(".*usec_per_call=([0-9.]+).*", "$1"))
				.mapToDouble(Double::parseDouble)
				.findFirst()
				.orElse(Double.NaN);
			Map<String, Double> perEvent = new LinkedHashMap<>();
			stats.lines()
				.filter((line) -> line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")
						&& !line.startsWith("cmdstat_config:"))
				.forEach((line) -> perEvent.put(line.substring("cmdstat_".length(), line.indexOf(':')),
						Double.parseDouble(line.replaceAll(".*[:,]usec=([0-9]+).*", "$1")) / events));
			return new Measurement(events / (nanos / 1e9), cpu / (nanos / 1e9), micros, perEvent);
		}

		private static double cpuSeconds(String info) {
			return info.lines()
				.filter((line) -> line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:"))
				.mapToDouble((line) -> Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()))
				.sum();
		}

		@Override
		public void close() {
			this.connection.close();
			this.client.shutdown();
		}

	}

}
