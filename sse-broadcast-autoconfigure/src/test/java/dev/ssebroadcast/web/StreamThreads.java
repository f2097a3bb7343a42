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
 * Counts the stream and heartbeat threads alive in this JVM, virtual ones included, from
 * a thread dump: virtual threads do not show up in {@code Thread.getAllStackTraces()}.
 */
final class StreamThreads {

	private static final Pattern STREAM_THREAD = Pattern.compile("\"name\": \"sse-(stream-\\d+|heartbeat)\"");

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
