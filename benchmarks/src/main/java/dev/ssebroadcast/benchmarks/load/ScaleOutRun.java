package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.benchmarks.compare.ComparedServer;
import dev.ssebroadcast.benchmarks.compare.Comparison;
import dev.ssebroadcast.benchmarks.compare.ServerProcess;

/**
 * Measures what sharing events through Redis costs, on loopback:
 * <ol>
 * <li>latency: the sample app alone with 2N clients (in-process relay), then two sample
 * apps with the {@code redis} profile and N clients each, events published on the
 * first; isolated events, each after the last reached every client;</li>
 * <li>throughput: events per second that 1, 4 and 16 publishing threads push through
 * one Redis, every one reaching a client on each of two instances;</li>
 * <li>memory: the stream at its retention limit.</li>
 * </ol>
 * <pre>
 * java -cp … dev.ssebroadcast.benchmarks.load.ScaleOutRun --sample-jar=… --redis-server=… [--clients=1000]
 * </pre>
 * Prints Markdown tables; see benchmarks/run-scale-out.sh.
 */
public final class ScaleOutRun {

	private static final int EVENTS = 60;

	private static final int WARM_UP_EVENTS = 300;

	private static final long EVENT_TIMEOUT_NANOS = 5_000_000_000L;

	private static final int FIRST_PORT = 18_300;

	private ScaleOutRun() {
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
		int clients = Integer.parseInt(options.getOrDefault("clients", "1000"));
		Path logs = Files.createDirectories(Path.of(options.getOrDefault("logs", "benchmarks/target/scale-out")));
		int redisPort = FIRST_PORT;
		StringBuilder report = new StringBuilder();

		if (!Boolean.parseBoolean(options.getOrDefault("latency", "true"))) {
			System.out.println(throughput(redisServer, redisPort + 10, logs));
			return;
		}
		report.append("| Setup | Clients | First client p50 / p99 ms | Last client p50 / p99 / max ms | Last on A p50 / p99 ms | Last on B p50 / p99 ms | Lost |\n")
			.append("|---|---:|---:|---:|---:|---:|---:|\n");
		try (ServerProcess alone = sample(sampleJar, FIRST_PORT + 1, List.of(), logs.resolve("alone.log"))) {
			report.append(latency("one instance, in-process relay", List.of(FIRST_PORT + 1), 2 * clients));
		}
		try (RedisProcess redis = RedisProcess.start(redisServer, redisPort, logs.resolve("redis-latency.log"));
				ServerProcess a = sample(sampleJar, FIRST_PORT + 2, redisArguments(redisPort), logs.resolve("a.log"));
				ServerProcess b = sample(sampleJar, FIRST_PORT + 3, redisArguments(redisPort), logs.resolve("b.log"))) {
			report.append(latency("two instances through Redis, published on A", List.of(FIRST_PORT + 2, FIRST_PORT + 3),
					clients));
		}
		System.out.println(report);

		System.out.println(throughput(redisServer, redisPort + 10, logs));
	}

	private static String throughput(String redisServer, int redisPort, Path logs)
			throws IOException, InterruptedException {
		StringBuilder throughput = new StringBuilder("| Publishing threads | Events | Events/s (all delivered on A and B) |\n")
			.append("|---:|---:|---:|\n");
		String payload = "x".repeat(64);
		try (RedisProcess redis = RedisProcess.start(redisServer, redisPort, logs.resolve("redis-throughput.log"));
				RelayThroughput relay = new RelayThroughput(redisPort, 10_000)) {
			relay.run(1, 20_000, payload);
			for (int threads : new int[] { 1, 1, 4, 16 }) {
				int events = 100_000;
				double rate = relay.run(threads, events, payload);
				throughput.append("| ").append(threads).append(" | ").append(events).append(" | ")
					.append((rate < 0) ? "events lost" : String.format("%,.0f", rate)).append(" |\n");
			}
			throughput.append(String.format("%nA bare PING round trip from one thread: %,.0f/s.%n", relay.pings(50_000)));
			throughput.append("\nStream at its retention (max-length 10000, 64-byte data): ").append(relay.memory()).append('\n');
		}
		return throughput.toString();
	}

	/**
	 * Open {@code perServer} streams on each port, publish isolated events on the first
	 * and report when the last client got each.
	 */
	private static String latency(String setup, List<Integer> ports, int perServer)
			throws IOException, InterruptedException {
		List<Streams> all = new ArrayList<>();
		try (Publisher publisher = new Publisher("127.0.0.1", ports.get(0), 64)) {
			for (int port : ports) {
				Streams streams = new Streams("127.0.0.1", port, 1, EVENTS + 1, EVENTS, Streams.MAX_CONNECTING);
				all.add(streams);
				int open = streams.open(perServer, 90_000);
				if (open < perServer) {
					throw new IOException("Only " + open + " of " + perServer + " streams opened on " + port);
				}
			}
			for (int i = 0; i < WARM_UP_EVENTS; i++) {
				publisher.publish(0);
			}
			Thread.sleep(1000);
			int[] first = new int[EVENTS];
			int[] last = new int[EVENTS];
			int[][] lastPer = new int[all.size()][EVENTS];
			long lost = 0;
			for (int seq = 1; seq <= EVENTS; seq++) {
				publisher.publish(seq);
				for (Streams streams : all) {
					streams.awaitDelivered(seq, perServer, EVENT_TIMEOUT_NANOS);
				}
				for (int s = 0; s < all.size(); s++) {
					lastPer[s][seq - 1] = all.get(s).arrivalMicros(seq, false);
					last[seq - 1] = Math.max(last[seq - 1], lastPer[s][seq - 1]);
					int firstHere = all.get(s).arrivalMicros(seq, true);
					first[seq - 1] = (s == 0) ? firstHere : Math.min(first[seq - 1], firstHere);
					lost += perServer - all.get(s).delivered(seq);
				}
				Thread.sleep(10);
			}
			Distribution firstClient = Distribution.ofMicros(first);
			Distribution overall = Distribution.ofMicros(last);
			Distribution onA = Distribution.ofMicros(lastPer[0]);
			Distribution onB = (all.size() > 1) ? Distribution.ofMicros(lastPer[1]) : null;
			return "| " + setup + " | " + perServer * ports.size() + " | "
					+ String.format("%.1f / %.1f", firstClient.p50(), firstClient.p99()) + " | "
					+ String.format("%.1f / %.1f / %.1f", overall.p50(), overall.p99(), overall.max()) + " | "
					+ String.format("%.1f / %.1f", onA.p50(), onA.p99()) + " | "
					+ ((onB != null) ? String.format("%.1f / %.1f", onB.p50(), onB.p99()) : "–") + " | " + lost + " |\n";
		}
		finally {
			all.forEach(Streams::close);
		}
	}

	private static ServerProcess sample(String jar, int port, List<String> arguments, Path log)
			throws IOException, InterruptedException {
		List<String> all = new ArrayList<>(List.of("--server.tomcat.max-connections=15000"));
		all.addAll(arguments);
		return ServerProcess.start(new ComparedServer("sample-app", List.of("-jar", jar), all), Comparison.JVM_FLAGS,
				port, log);
	}

	private static List<String> redisArguments(int redisPort) {
		return List.of("--spring.profiles.active=redis", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redisPort);
	}

	private static String require(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("Missing --" + name + "=…");
		}
		return value;
	}

}
