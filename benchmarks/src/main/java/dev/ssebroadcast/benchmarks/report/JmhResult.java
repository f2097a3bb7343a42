package dev.ssebroadcast.benchmarks.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JMH result, read from JMH's own JSON output.
 *
 * @param benchmark the benchmark method
 * @param clients the {@code clients} parameter
 * @param score time per operation
 * @param scoreError its 99.9% confidence half-width
 * @param unit the unit of the score
 * @param allocatedBytesPerOp {@code gc.alloc.rate.norm}, or -1 without {@code -prof gc}
 */
public record JmhResult(String benchmark, int clients, double score, double scoreError, String unit,
		double allocatedBytesPerOp) {

	static List<JmhResult> read(Path file) {
		List<JmhResult> results = new ArrayList<>();
		if (!Files.isRegularFile(file)) {
			return results;
		}
		JsonNode root = JsonMapper.builder().build().readTree(file.toFile());
		for (JsonNode run : root) {
			String benchmark = run.path("benchmark").asString();
			JsonNode primary = run.path("primaryMetric");
			JsonNode alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
			results.add(new JmhResult(benchmark.substring(benchmark.lastIndexOf('.') + 1),
					run.path("params").path("clients").asInt(), primary.path("score").asDouble(),
					primary.path("scoreError").asDouble(), primary.path("scoreUnit").asString(),
					alloc.isMissingNode() ? -1 : alloc.path("score").asDouble()));
		}
		return results;
	}

}
