package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import dev.ssebroadcast.benchmarks.compare.ComparedServer;
import dev.ssebroadcast.benchmarks.compare.Comparison;
import dev.ssebroadcast.benchmarks.compare.ServerProcess;

/**
 * Measures what a graceful shutdown costs the instance that stays, on loopback: two
 * sample apps share one {@code redis-server}; N clients stream from A; events are
 * published on B, five a second; A is stopped (SIGTERM: Boot's graceful shutdown), and
 * each client resumes on B as {@code EventSource} does, after the last {@code retry} it
 * was sent and with {@code Last-Event-ID}. Reported per run: the connects per second B
 * sees (attempts begun, and streams open), each client's wait from the end of its
 * stream on A until its stream on B opened, the time from the stop until every client
 * is back, and lost and duplicate events. Each run starts Redis and both instances
 * afresh, on free ports; {@code --spreads} lists the values of
 * {@code sse.broadcast.shutdown.reconnect-spread} given to A.
 * <pre>
 * java -cp … dev.ssebroadcast.benchmarks.load.ShutdownHandoverRun --sample-jar=… --redis-server=… [--clients=5000] [--runs=3] [--spreads=10s,0]
 * </pre>
 * Prints a Markdown table, and the connects per second of each run; see
 * benchmarks/run-scale-out.sh.
 */
public final class ShutdownHandoverRun {

	private static final long PUBLISH_INTERVAL_MILLIS = 200;

	private static final long BACK_TIMEOUT_NANOS = Duration.ofSeconds(150).toNanos();

	private ShutdownHandoverRun() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		String sampleJar = require(options, "sample-jar");
		String redisServer = require(options, "redis-server");
		int clients = Integer.parseInt(options.getOrDefault("clients", "5000"));
		int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
		List<String> spreads = List.of(options.getOrDefault("spreads", "10s,0").split(","));
		Path logs = Files.createDirectories(Path.of(options.getOrDefault("logs", "benchmarks/target/handover")));

		StringBuilder table = new StringBuilder(
				"| Spread | Run | Clients | Peak attempts/s on B | Peak opened/s on B | Attempt to open p50 / p99 ms | Wait p50 / p99 / max s | All back after s | Lost | Dup | Resets | Failed attempts | Load 1m |\n")
			.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		StringBuilder series = new StringBuilder();
		for (int run = 1; run <= runs; run++) {
			for (String spread : spreads) {
				String loadBefore = loadAverage();
				Result result = run(sampleJar, redisServer, clients, spread, logs.resolve(spread + "-" + run));
				table.append("| ").append(spread).append(" | ").append(run).append(" | ").append(result.row())
					.append(" | ").append(loadBefore).append("→").append(loadAverage()).append(" |\n");
				series.append(spread).append(" run ").append(run).append(", streams opened on B per second after the stop: ")
					.append(result.openedPerSecond()).append('\n');
				System.out.println(table);
				System.out.println(series);
			}
		}
	}

	private static Result run(String sampleJar, String redisServer, int clients, String spread, Path logs)
			throws IOException, InterruptedException {
		Files.createDirectories(logs);
		int redisPort = freePort();
		int portA = freePort();
		int portB = freePort();
		List<String> shared = List.of("--spring.profiles.active=redis", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redisPort, "--server.tomcat.max-connections=15000",
				"--sse.broadcast.history.size=2000");
		List<String> onA = new ArrayList<>(shared);
		onA.add("--sse.broadcast.shutdown.reconnect-spread=" + spread);
		try (RedisProcess redis = RedisProcess.start(redisServer, redisPort, logs.resolve("redis.log"));
				ServerProcess b = sample(sampleJar, portB, shared, logs.resolve("b.log"));
				ServerProcess a = sample(sampleJar, portA, onA, logs.resolve("a.log"));
				Publisher publisher = new Publisher("127.0.0.1", portB, 64)) {
			List<HandoverClient> all = new ArrayList<>();
			Semaphore connecting = new Semaphore(Streams.MAX_CONNECTING);
			InetSocketAddress first = new InetSocketAddress("127.0.0.1", portA);
			InetSocketAddress second = new InetSocketAddress("127.0.0.1", portB);
			List<Thread> threads = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				HandoverClient client = new HandoverClient(first, second, connecting);
				all.add(client);
				threads.add(Thread.ofVirtual().name("handover-client-" + i).start(client));
			}
			try {
				awaitUntil(() -> count(all, (c) -> c.connectedToFirst ? 1 : 0) == clients, Duration.ofSeconds(120),
						"clients to connect to A");
				AtomicBoolean publishing = new AtomicBoolean(true);
				AtomicLong published = new AtomicLong();
				Thread publisherThread = Thread.ofPlatform().name("handover-publisher").start(() -> {
					try {
						while (publishing.get()) {
							if (publisher.publish(published.get() + 1) >= 0) {
								published.incrementAndGet();
							}
							Thread.sleep(PUBLISH_INTERVAL_MILLIS);
						}
					}
					catch (InterruptedException ex) {
						// Stopped.
					}
				});
				awaitUntil(() -> published.get() >= 10 && count(all, (c) -> c.lastSeq) >= 5L * clients,
						Duration.ofSeconds(60), "the first events to arrive");

				long stopNanos = System.nanoTime();
				a.close();
				awaitUntil(() -> count(all, (c) -> (c.resumedNanos != 0) ? 1 : 0) == clients,
						Duration.ofNanos(BACK_TIMEOUT_NANOS), "clients to resume on B");
				Thread.sleep(2000);
				publishing.set(false);
				publisherThread.join();
				long last = published.get();
				awaitUntil(() -> all.stream().allMatch((c) -> c.lastSeq >= last), Duration.ofSeconds(30),
						"the last event to arrive");
				writeTimeline(all, stopNanos, logs.resolve("clients.csv"));
				return Result.of(all, stopNanos, last);
			}
			finally {
				all.forEach(HandoverClient::stop);
				threads.forEach(Thread::interrupt);
			}
		}
	}

	/**
	 * Per client, in ms since the stop: its stream on A ended, its first attempt on B, its stream on B
	 * opened; and where its last sse-reset came, if any.
	 */
	private static void writeTimeline(List<HandoverClient> clients, long stopNanos, Path file) throws IOException {
		StringBuilder csv = new StringBuilder("ended_ms,retry_ms,first_attempt_ms,opened_ms,last_reset\n");
		for (HandoverClient client : clients) {
			csv.append(millisSince(stopNanos, client.endedNanos)).append(',').append(client.endingRetryMillis)
				.append(',').append(millisSince(stopNanos, client.secondAttemptNanos)).append(',')
				.append(millisSince(stopNanos, client.resumedNanos)).append(',').append(client.lastReset).append('\n');
		}
		Files.writeString(file, csv);
	}

	private static long millisSince(long stopNanos, long nanos) {
		return (nanos == 0) ? -1 : (nanos - stopNanos) / 1_000_000;
	}

	private static long count(List<HandoverClient> clients, ToLongFunction<HandoverClient> value) {
		long sum = 0;
		for (HandoverClient client : clients) {
			sum += value.applyAsLong(client);
		}
		return sum;
	}

	private static void awaitUntil(java.util.function.BooleanSupplier condition, Duration timeout, String what)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				System.out.println("Gave up waiting for " + what + " after " + timeout);
				return;
			}
			Thread.sleep(20);
		}
	}

	private static ServerProcess sample(String jar, int port, List<String> arguments, Path log)
			throws IOException, InterruptedException {
		return ServerProcess.start(new ComparedServer("sample-app", List.of("-jar", jar), arguments),
				Comparison.JVM_FLAGS, port, log);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String require(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("Missing --" + name + "=…");
		}
		return value;
	}

	/**
	 * What one run measured.
	 */
	private record Result(int clients, int peakAttempts, int peakOpened, double openP50, double openP99,
			double waitP50, double waitP99,
			double waitMax, double allBackSeconds, long lost, long duplicates, long resets, long failedAttempts,
			int back, List<Integer> openedPerSecond) {

		static Result of(List<HandoverClient> clients, long stopNanos, long last) {
			List<Long> attempts = new ArrayList<>();
			List<Long> opened = new ArrayList<>();
			List<Long> waits = new ArrayList<>();
			List<Long> opening = new ArrayList<>();
			long lastBack = stopNanos;
			long lost = 0;
			long duplicates = 0;
			long resets = 0;
			long failed = 0;
			int back = 0;
			for (HandoverClient client : clients) {
				if (client.secondAttemptNanos != 0) {
					attempts.add(client.secondAttemptNanos - stopNanos);
				}
				if (client.resumedNanos != 0) {
					back++;
					opened.add(client.resumedNanos - stopNanos);
					waits.add(client.resumedNanos - client.endedNanos);
					opening.add(client.resumedNanos - client.secondAttemptNanos);
					lastBack = Math.max(lastBack, client.resumedNanos);
				}
				lost += client.lost + Math.max(0, last - client.lastSeq);
				duplicates += client.duplicates;
				resets += client.resets;
				failed += client.failedAttempts;
			}
			List<Integer> perSecond = perSecond(opened);
			waits.sort(null);
			opening.sort(null);
			return new Result(clients.size(), peakPerSecond(attempts), peakPerSecond(opened),
					seconds(opening, 0.50) * 1000, seconds(opening, 0.99) * 1000, seconds(waits, 0.50),
					seconds(waits, 0.99), seconds(waits, 1.0), (lastBack - stopNanos) / 1e9, lost, duplicates, resets,
					failed, back, perSecond);
		}

		// The most in any one second, over windows sliding by 10 ms.
		private static int peakPerSecond(List<Long> offsets) {
			List<Long> sorted = new ArrayList<>(offsets);
			sorted.sort(null);
			int peak = 0;
			int from = 0;
			for (int to = 0; to < sorted.size(); to++) {
				while (sorted.get(to) - sorted.get(from) >= 1_000_000_000L) {
					from++;
				}
				peak = Math.max(peak, to - from + 1);
			}
			return peak;
		}

		private static List<Integer> perSecond(List<Long> offsets) {
			List<Integer> counts = new ArrayList<>();
			for (long offset : offsets) {
				int second = (int) Math.max(0, offset / 1_000_000_000L);
				while (counts.size() <= second) {
					counts.add(0);
				}
				counts.set(second, counts.get(second) + 1);
			}
			return counts;
		}

		private static double seconds(List<Long> sorted, double quantile) {
			if (sorted.isEmpty()) {
				return Double.NaN;
			}
			int index = (int) Math.ceil(quantile * sorted.size()) - 1;
			return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e9;
		}

		String row() {
			return String.format("%,d%s | %,d | %,d | %.0f / %.0f | %.2f / %.2f / %.2f | %.1f | %d | %d | %d | %d",
					this.clients, (this.back < this.clients) ? " (" + this.back + " back)" : "", this.peakAttempts,
					this.peakOpened, this.openP50, this.openP99, this.waitP50, this.waitP99, this.waitMax, this.allBackSeconds, this.lost, this.duplicates,
					this.resets, this.failedAttempts);
		}

	}

}
