package dev.ssebroadcast.web;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;

/**
 * Counts the stream threads alive in this JVM, virtual ones included, from a thread dump:
 * virtual threads do not show up in {@code Thread.getAllStackTraces()}. Heartbeat threads
 * are left out: each broadcaster has one while it has clients, and unit tests elsewhere in
 * the JVM may leave broadcasters with clients behind.
 */
final class StreamThreads {

	private static final Pattern STREAM_THREAD = Pattern.compile("\"name\": \"sse-stream-\\d+\"");

	private StreamThreads() {
	}

	static long countAlive() throws IOException {
		Path dump = Files.createTempFile("threads", ".json");
		Files.delete(dump);
		try {
			ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
				.dumpThreads(dump.toString(), ThreadDumpFormat.JSON);
			Matcher matcher = STREAM_THREAD.matcher(Files.readString(dump));
			long count = 0;
			while (matcher.find()) {
				count++;
			}
			return count;
		}
		finally {
			Files.deleteIfExists(dump);
		}
	}

}
