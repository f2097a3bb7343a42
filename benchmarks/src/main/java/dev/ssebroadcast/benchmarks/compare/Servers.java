package dev.ssebroadcast.benchmarks.compare;

import java.io.File;
import java.nio.file.Path;
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

	private static final List<String> NOT_IN_BASELINES = List.of("sse-broadcast-", "spring-data-", "spring-boot-data-",
			"spring-boot-starter-data-", "lettuce-core");

	// What the sample's application.yml excludes without the redis and secure profiles.
	private static final List<String> SAMPLE_EXCLUSIONS = List.of(
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration");

	private static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private Servers() {
	}

	static Map<String, ComparedServer> all(Map<String, String> options) {
		String classes = require(options, "classes");
		// The baselines run without the starter, so that nothing of ours takes part, and
		// without Spring Data Redis (there for the scale-out run), so that nothing connects.
		String baselinePath = classes + File.pathSeparator + String.join(File.pathSeparator,
				Arrays.stream(require(options, "classpath").split(File.pathSeparator))
					.filter((entry) -> NOT_IN_BASELINES.stream().noneMatch(entry::contains))
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
		// The same sample app jar on Jetty: Jetty's jars added, Tomcat's auto-configuration off.
		String sampleJar = require(options, "sample-jar");
		all.put("sample-app-jetty", new ComparedServer("sample-app-jetty",
				List.of("-Dloader.path=" + require(options, "jetty-classpath"), "-cp", sampleJar, PROPERTIES_LAUNCHER),
				concat(SPRING_ARGUMENTS, "--spring.autoconfigure.exclude="
						+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration,"
						// This replaces the sample's own list of exclusions, which keeps Redis
						// and Spring Security out of its open profile: the same list follows.
						+ String.join(",", SAMPLE_EXCLUSIONS))));
		// The same jar with the JDK's own count of carrier threads for virtual threads (one
		// per core) instead of the starter's minimum of four.
		all.put("sample-app-jdk-carriers", new ComparedServer("sample-app-jdk-carriers",
				List.of("-jar", sampleJar), concat(SPRING_ARGUMENTS, "--sse.broadcast.min-carrier-threads=0")));
		// The same jar with requests on Tomcat's platform threads; streams stay on virtual
		// threads of their own. Shows what a publishing request waits for behind the streams.
		all.put("sample-app-platform-requests", new ComparedServer("sample-app-platform-requests",
				List.of("-jar", sampleJar), concat(SPRING_ARGUMENTS, "--spring.threads.virtual.enabled=false")));
		// The same jar on Tomcat with smaller per-connection buffers (see LeanTomcatBuffersAutoConfiguration)
		// and a smaller client queue.
		all.put("sample-app-lean-tomcat", new ComparedServer("sample-app-lean-tomcat",
				List.of("-Dloader.path=" + Path.of(classes).toAbsolutePath(), "-cp", sampleJar, PROPERTIES_LAUNCHER),
				concat(SPRING_ARGUMENTS, "--benchmarks.tomcat.lean-buffers=true",
						"--server.tomcat.max-http-response-header-size=4KB", "--sse.broadcast.client-queue-capacity=32")));
		return all;
	}

	static List<ComparedServer> named(String names, Map<String, ComparedServer> all) {
		List<ComparedServer> selected = new ArrayList<>();
		if (names.isBlank()) {
			return selected;
		}
		for (String name : names.split(",")) {
			ComparedServer server = all.get(name.trim());
			if (server == null) {
				throw new IllegalArgumentException("Unknown server '" + name + "'; known: " + all.keySet());
			}
			selected.add(server);
		}
		return selected;
	}

	private static List<String> concat(List<String> first, String... more) {
		List<String> all = new ArrayList<>(first);
		all.addAll(List.of(more));
		return all;
	}

	private static String require(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("Missing --" + name + "=…");
		}
		return value;
	}

}
