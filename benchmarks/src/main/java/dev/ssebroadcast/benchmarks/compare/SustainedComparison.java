package dev.ssebroadcast.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.benchmarks.load.LoadSettings;
import dev.ssebroadcast.benchmarks.load.SustainedResult;
import dev.ssebroadcast.benchmarks.load.SustainedRun;
import dev.ssebroadcast.benchmarks.report.SustainedReport;

/**
 * Runs the sustained-publishing scenario: every server at every client count, each in a
 * fresh JVM with the comparison's flags, events published at each rate whatever the
 * deliveries. Repeated {@code rounds} times, servers interleaved within a round, so that
 * the spread over rounds shows and a slow minute of the machine does not hit one server
 * only. Results are written after every run.
 * <p>
 * Arguments ({@code --name=value}): {@code classes}, {@code classpath}, {@code sample-jar},
 * {@code jetty-classpath} and {@code out} as for {@link Comparison}; optionally
 * {@code servers}, {@code clients}, {@code rates} (events/s), {@code warm-up} and
 * {@code events} (per rate) and {@code rounds}.
 */
public final class SustainedComparison {

	private static final String SERVERS = "sample-app,sample-app-jetty,sse-emitter,webflux";

	private static final int PAYLOAD_BYTES = 64;

	private static final int FIRST_PORT = 18_600;

	private SustainedComparison() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		Map<String, String> options = Comparison.options(args);
		Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
		Map<String, ComparedServer> all = Servers.all(options);
		List<ComparedServer> servers = Servers.named(options.getOrDefault("servers", SERVERS), all);
		List<Integer> clients = numbers(options.getOrDefault("clients", "5000,10000"));
		List<Integer> rates = numbers(options.getOrDefault("rates", "10,25,50"));
		int warmUp = Integer.parseInt(options.getOrDefault("warm-up", "100"));
		int events = Integer.parseInt(options.getOrDefault("events", "50"));
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
		List<SustainedResult> results = new ArrayList<>();
		int port = FIRST_PORT;
		for (int round = 1; round <= rounds; round++) {
			for (int n : clients) {
				for (ComparedServer server : servers) {
					port++;
					Path log = Path.of("benchmarks", "target", "logs", server.name() + "-sustained-" + n + ".log");
					System.out.printf("%n=== round %d: %s, %d clients, port %d (server log: %s)%n", round, server.name(),
							n, port, log);
					try (ServerProcess process = ServerProcess.start(server, Comparison.JVM_FLAGS, port, log)) {
						LoadSettings settings = new LoadSettings("127.0.0.1", port, process.pid(), n, 0, List.of(), 0,
								PAYLOAD_BYTES, null);
						results.add(new SustainedRun(server.name(), settings, rates, warmUp, events).run());
					}
					SustainedReport.write(out, LocalDate.now(), Comparison.JVM_FLAGS, results);
				}
			}
		}
		System.out.println("Results written to " + out.toAbsolutePath());
	}

	private static List<Integer> numbers(String list) {
		return Arrays.stream(list.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).map(Integer::parseInt)
			.toList();
	}

}
