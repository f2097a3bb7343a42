package dev.ssebroadcast.benchmarks.compare;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers a comparison can run, by name.
 */
final class Servers {

	// Tomcat accepts 8192 connections by default; the largest run needs more.
	private static final List<String> SPRING_ARGUMENTS = List.of("--server.tomcat.max-connections=15000");

	private Servers() {
	}

	static List<ComparedServer> select(Map<String, String> options) {
		String classes = require(options, "classes");
		// The baselines run without the starter, so that nothing of ours takes part.
		String baselinePath = classes + File.pathSeparator + String.join(File.pathSeparator,
				Arrays.stream(require(options, "classpath").split(File.pathSeparator))
					.filter((entry) -> !entry.contains("sse-broadcast-autoconfigure"))
					.toList());
		Map<String, ComparedServer> all = new LinkedHashMap<>();
		all.put("reference", new ComparedServer("reference",
				List.of("-cp", classes, "dev.ssebroadcast.benchmarks.reference.ReferenceServer"), List.of()));
		all.put("sample-app", new ComparedServer("sample-app", List.of("-jar", require(options, "sample-jar")),
				SPRING_ARGUMENTS));
		all.put("sse-emitter", new ComparedServer("sse-emitter",
				List.of("-cp", baselinePath, "dev.ssebroadcast.benchmarks.emitter.EmitterServer"), SPRING_ARGUMENTS));
		all.put("webflux", new ComparedServer("webflux",
				List.of("-cp", baselinePath, "dev.ssebroadcast.benchmarks.flux.FluxServer"), SPRING_ARGUMENTS));
		String names = options.getOrDefault("servers", String.join(",", all.keySet()));
		List<ComparedServer> selected = new ArrayList<>();
		for (String name : names.split(",")) {
			ComparedServer server = all.get(name.trim());
			if (server == null) {
				throw new IllegalArgumentException("Unknown server '" + name + "'; known: " + all.keySet());
			}
			selected.add(server);
		}
		return selected;
	}

	private static String require(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("Missing --" + name + "=…");
		}
		return value;
	}

}
