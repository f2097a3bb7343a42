package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.benchmarks.report.Report;

/**
 * The load tool on its own, against a server that is already running on loopback:
 * <pre>
 * java -cp … dev.ssebroadcast.benchmarks.load.LoadTool --port=8080 --pid=12345 --clients=1000
 * </pre>
 * Options ({@code --name=value}): {@code port}, {@code clients}, {@code pid} (for memory
 * and threads; left out, they are not measured), {@code events} (isolated latency
 * events, 60), {@code rates} (offered deliveries/s, comma-separated), {@code step-ms},
 * {@code storm} ({@code true}: only a reconnect storm of {@code clients} streams at once),
 * {@code name} and {@code out} (where results.json, .md and .svg go).
 */
public final class LoadTool {

	private LoadTool() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		List<Integer> rates = Arrays.stream(options.getOrDefault("rates", "50000,100000,200000").split(","))
			.map(String::trim)
			.map(Integer::parseInt)
			.toList();
		LoadSettings settings = new LoadSettings("127.0.0.1", Integer.parseInt(options.getOrDefault("port", "8080")),
				Long.parseLong(options.getOrDefault("pid", "0")),
				Integer.parseInt(options.getOrDefault("clients", "1000")),
				Integer.parseInt(options.getOrDefault("events", "60")), rates,
				Long.parseLong(options.getOrDefault("step-ms", "2000")), 64, null);
		LoadRun run = new LoadRun(options.getOrDefault("name", "server"), settings);
		Path out = Path.of(options.getOrDefault("out", "benchmarks/target/load"));
		if (Boolean.parseBoolean(options.getOrDefault("storm", "false"))) {
			Report.write(out, LocalDate.now(), List.of(), List.of(), List.of(run.storm()));
		}
		else {
			Report.write(out, LocalDate.now(), List.of(), List.of(run.run()), List.of());
		}
		System.out.println("Results written to " + out.toAbsolutePath());
	}

}
