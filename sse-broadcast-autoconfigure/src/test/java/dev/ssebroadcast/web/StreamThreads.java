package dev.ssebroadcast.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The stream threads alive in this JVM, virtual ones included, from a thread dump:
 * virtual threads do not show up in {@code Thread.getAllStackTraces()}. Heartbeat threads
 * are left out: each broadcaster has one while it has clients, and unit tests elsewhere in
 * the JVM may leave broadcasters with clients behind.
 */
final class StreamThreads {

	// One thread of the JSON dump, from its id to the end of its stack; a parked thread
	// names what it waits for in an object of its own.
	private static final Pattern STREAM_THREAD = Pattern
		.compile("\"tid\": \"(\\d+)\"[^{}]*?\"name\": \"sse-stream-\\d+\"(?:[^{}\\[]|\\{[^{}]*\\})*?\"stack\": \\[([^\\]]*)\\]");

	private StreamThreads() {
	}

	static long countAlive() {
		return alive().size();
	}

	/**
	 * The stream threads alive now.
	 * @return their stacks, by thread id
	 */
	static Map<String, String> alive() {
		try {
			Path dump = Files.createTempFile("threads", ".json");
			Files.delete(dump);
			try {
				ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
					.dumpThreads(dump.toString(), ThreadDumpFormat.JSON);
				Matcher matcher = STREAM_THREAD.matcher(Files.readString(dump));
				Map<String, String> threads = new LinkedHashMap<>();
				while (matcher.find()) {
					threads.put(matcher.group(1), matcher.group(2));
				}
				return threads;
			}
			finally {
				Files.deleteIfExists(dump);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Wait until no stream thread is alive but those of {@code before}.
	 * @throws AssertionError with the stacks of the threads still alive after
	 * {@code timeout}
	 */
	static void awaitOnly(Set<String> before, Duration timeout) {
		try {
			await().atMost(timeout).until(() -> before.containsAll(alive().keySet()));
		}
		catch (ConditionTimeoutException ex) {
			Map<String, String> left = alive();
			left.keySet().removeAll(before);
			throw new AssertionError("Stream threads still alive after " + timeout + ": " + left, ex);
		}
	}

}
