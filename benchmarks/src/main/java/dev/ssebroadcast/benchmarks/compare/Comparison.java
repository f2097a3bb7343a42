package dev.ssebroadcast.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.benchmarks.load.LoadRun;
import dev.ssebroadcast.benchmarks.load.LoadSettings;
import dev.ssebroadcast.benchmarks.load.RunResult;
import dev.ssebroadcast.benchmarks.load.StormResult;
import dev.ssebroadcast.benchmarks.report.Report;

/**
 * Runs the side-by-side comparison: every server at every client count, each in a fresh
 * JVM with the same flags, the load tool in this one. Results are written after every
 * run, so an interrupted comparison still leaves what it measured.
 * <p>
 * Arguments ({@code --name=value}): {@code classes} and {@code classpath} (this module's
 * classes and dependencies), {@code sample-jar}, {@code out}, and optionally
 * {@code servers} and {@code clients}, {@code variants} and {@code variant-clients},
 * {@code storm-servers} and {@code storm-clients} (comma-separated; an empty list runs
 * none), and {@code jetty-classpath}.
 */
public final class Comparison {

	/** The same for every server: a fixed heap ceiling large enough for 10,000 streams of the heaviest. */
	public static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx3g", "-XX:+UseG1GC");

	private static final List<Integer> OFFERED_RATES = List.of(50_000, 100_000, 200_000);

	private static final int LATENCY_EVENTS = 60;

	private static final long STEP_MILLIS = 2_000;

	private static final int PAYLOAD_BYTES = 64;

	private static final int FIRST_PORT = 18_100;

	private static final String MAIN_SERVERS = "reference,sample-app,sse-emitter,webflux";

	/** The sample app with the container changed or tuned; run at fewer client counts to bound the time. */
	private static final String VARIANTS = "sample-app-jetty,sample-app-jdk-carriers,sample-app-lean-tomcat";

	/** The servers that meet a reconnect storm, each in a fresh JVM as after a deploy. */
	private static final String STORM_SERVERS = "sample-app,sample-app-jetty,sse-emitter,webflux";

	private Comparison() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		Map<String, String> options = options(args);
		Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
		Map<String, ComparedServer> servers = Servers.all(options);
		Map<ComparedServer, List<Integer>> plan = new LinkedHashMap<>();
		for (ComparedServer server : Servers.named(options.getOrDefault("servers", MAIN_SERVERS), servers)) {
			plan.put(server, counts(options.getOrDefault("clients", "1000,5000,10000")));
		}
		for (ComparedServer server : Servers.named(options.getOrDefault("variants", VARIANTS), servers)) {
			plan.put(server, counts(options.getOrDefault("variant-clients", "5000,10000")));
		}
		List<RunResult> results = new ArrayList<>();
		List<StormResult> storms = new ArrayList<>();
		int port = FIRST_PORT;
		for (Map.Entry<ComparedServer, List<Integer>> entry : plan.entrySet()) {
			for (int clients : entry.getValue()) {
				// A fresh port each run: no socket of the last run's server lingers on it.
				port++;
				results.add(run(entry.getKey(), clients, port, out));
				Report.write(out, LocalDate.now(), JVM_FLAGS, results, storms);
			}
		}
		for (ComparedServer server : Servers.named(options.getOrDefault("storm-servers", STORM_SERVERS), servers)) {
			for (int clients : counts(options.getOrDefault("storm-clients", "10000"))) {
				port++;
				storms.add(storm(server, clients, port));
				Report.write(out, LocalDate.now(), JVM_FLAGS, results, storms);
			}
		}
		System.out.println("Results written to " + out.toAbsolutePath());
	}

	private static List<Integer> counts(String list) {
		return Arrays.stream(list.split(",")).map(String::trim).filter((count) -> !count.isEmpty())
			.map(Integer::parseInt).toList();
	}

	private static StormResult storm(ComparedServer server, int clients, int port)
			throws IOException, InterruptedException {
		Path log = Path.of("benchmarks", "target", "logs", server.name() + "-storm-" + clients + ".log");
		System.out.printf("%n=== %s, storm of %d clients, port %d (server log: %s)%n", server.name(), clients, port, log);
		try (ServerProcess process = ServerProcess.start(server, JVM_FLAGS, port, log)) {
			LoadSettings settings = new LoadSettings("127.0.0.1", port, process.pid(), clients, LATENCY_EVENTS,
					OFFERED_RATES, STEP_MILLIS, PAYLOAD_BYTES, null);
			StormResult result = new LoadRun(server.name(), settings).storm();
			System.out.printf("=== %s storm of %d: %d connected in %.1f s%n", server.name(), clients,
					result.connected(), result.seconds());
			return result;
		}
	}

	private static RunResult run(ComparedServer server, int clients, int port, Path out)
			throws IOException, InterruptedException {
		Path log = Path.of("benchmarks", "target", "logs", server.name() + "-" + clients + ".log");
		System.out.printf("%n=== %s, %d clients, port %d (server log: %s)%n", server.name(), clients, port, log);
		try (ServerProcess process = ServerProcess.start(server, JVM_FLAGS, port, log)) {
			Path histogram = out.resolve("histograms").resolve(server.name() + "-" + clients + ".txt");
			LoadSettings settings = new LoadSettings("127.0.0.1", port, process.pid(), clients, LATENCY_EVENTS,
					OFFERED_RATES, STEP_MILLIS, PAYLOAD_BYTES, histogram);
			RunResult result = new LoadRun(server.name(), settings).run();
			System.out.printf("=== %s N=%d: heap/conn %.1f KiB, last-client p99 %.1f ms, sustained %,.0f/s, lost %d%n",
					server.name(), clients, result.heapPerConnectionKiB(), result.lastClient().p99(),
					result.sustainedPerSecond(), result.lost());
			return result;
		}
	}

	static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		return options;
	}

}
