package dev.ssebroadcast.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.ssebroadcast.benchmarks.load.Distribution;
import dev.ssebroadcast.benchmarks.load.SustainedResult;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the sustained-publishing runs three ways: {@code sustained.json} (everything),
 * {@code sustained.md} (the table the README shows) and {@code sustained.svg} (latency
 * to the first and last client against the rate, one line per server and N).
 */
public final class SustainedReport {

	private SustainedReport() {
	}

	public static void write(Path out, LocalDate date, List<String> jvmFlags, List<SustainedResult> runs)
			throws IOException {
		Files.createDirectories(out);
		Environment environment = Environment.current(date, jvmFlags);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("environment", environment);
		json.put("runs", runs);
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Files.writeString(out.resolve("sustained.json"), mapper.writeValueAsString(json) + "\n");
		Files.writeString(out.resolve("sustained.md"), table(environment, runs));
		Files.writeString(out.resolve("sustained.svg"), chart(runs));
	}

	private static String table(Environment environment, List<SustainedResult> runs) {
		StringBuilder md = new StringBuilder();
		md.append("Measured ").append(environment.describe()).append(".\n\n");
		md.append("| Server | N | Events/s asked → achieved | First client p50 / p99 ms | Last client p50 / p99 ms "
				+ "| Publish answer p50 / p99 ms | Server CPU ms/event | Lost | Failed publishes | Load 1m |\n");
		md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (SustainedResult run : runs) {
			for (SustainedResult.Step step : run.steps()) {
				md.append(format("| %s | %d | %d → %.1f | %s | %s | %s | %.1f | %d | %d | %.1f→%.1f |\n", run.server(),
						run.clients(), step.rate(), step.achievedRate(), two(step.firstClient()),
						two(step.lastClient()), two(step.publish()), step.serverCpuPerEventMillis(), step.lost(),
						step.publishFailures(), run.loadBefore(), run.loadAfter()));
			}
		}
		return md.toString();
	}

	private static String chart(List<SustainedResult> runs) {
		List<Integer> rates = runs.stream()
			.flatMap((run) -> run.steps().stream())
			.map(SustainedResult.Step::rate)
			.distinct()
			.sorted()
			.toList();
		List<String> labels = rates.stream().map((rate) -> rate + "/s").toList();
		return SvgChart.of(labels,
				List.of(panel("First client p50 (ms)", runs, rates, (step) -> step.firstClient().p50()),
						panel("Last client p50 (ms)", runs, rates, (step) -> step.lastClient().p50()),
						panel("Last client p99 (ms)", runs, rates, (step) -> step.lastClient().p99())));
	}

	private static SvgChart.Panel panel(String title, List<SustainedResult> runs, List<Integer> rates,
			ToDoubleFunction<SustainedResult.Step> metric) {
		List<SvgChart.Series> series = new ArrayList<>();
		for (SustainedResult run : runs) {
			double[] values = new double[rates.size()];
			for (int r = 0; r < rates.size(); r++) {
				values[r] = Double.NaN;
				for (SustainedResult.Step step : run.steps()) {
					if (step.rate() == rates.get(r)) {
						values[r] = metric.applyAsDouble(step);
					}
				}
			}
			series.add(new SvgChart.Series(run.server() + " N=" + run.clients(), values));
		}
		return new SvgChart.Panel(title, series);
	}

	private static String two(Distribution d) {
		return format("%.1f / %.1f", d.p50(), d.p99());
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
