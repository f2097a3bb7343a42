package dev.ssebroadcast.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.benchmarks.load.RunResult;
import dev.ssebroadcast.benchmarks.load.StormResult;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a comparison's results three ways: {@code results.json} (everything),
 * {@code results.md} (the tables the README shows) and {@code results.svg} (the plot).
 * JMH results in {@code jmh.json} beside them, if present, are included.
 */
public final class Report {

	private Report() {
	}

	public static void write(Path out, LocalDate date, List<String> jvmFlags, List<RunResult> runs,
			List<StormResult> storms) throws IOException {
		Files.createDirectories(out);
		Environment environment = Environment.current(date, jvmFlags);
		List<JmhResult> jmh = JmhResult.read(out.resolve("jmh.json"));
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("environment", environment);
		json.put("runs", runs);
		json.put("storms", storms);
		json.put("jmh", jmh);
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Files.writeString(out.resolve("results.json"), mapper.writeValueAsString(json) + "\n");
		Files.writeString(out.resolve("results.md"), MarkdownTables.of(environment, runs, storms, jmh));
		Files.writeString(out.resolve("results.svg"), SvgChart.of(runs));
	}

}
