package dev.ssebroadcast.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.HashMap;
import java.util.Map;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;

/**
 * Publishes events to ever new topics that nobody subscribes to, as anyone may through
 * an open sample, and reports the heap the broadcaster then holds after a full GC: with
 * {@code sse.broadcast.history.max-bytes} that is about the bound; without one, the
 * history grows until the heap runs out. Run it in a JVM of its own with the heap to
 * check, after {@code ./mvnw -pl sse-broadcast-autoconfigure -am test-compile}, for
 * example:
 * <pre>
 * java -Xmx512m -cp sse-broadcast-autoconfigure/target/classes:sse-broadcast-autoconfigure/target/test-classes:$HOME/.m2/repository/org/jspecify/jspecify/1.0.0/jspecify-1.0.0.jar \
 *   dev.ssebroadcast.memory.HistoryHeapCheck --events=4400 --size=102400 --max-bytes=67108864
 * </pre>
 * {@code --max-bytes=0} stands for no bound (the largest the builder takes). Not a
 * test: it needs a JVM of its own, and its numbers are reported in
 * {@code benchmarks/README.md}.
 */
public final class HistoryHeapCheck {

	private HistoryHeapCheck() {
	}

	public static void main(String[] args) {
		Map<String, String> options = options(args);
		int events = Integer.parseInt(options.getOrDefault("events", "4400"));
		int size = Integer.parseInt(options.getOrDefault("size", "102400"));
		long maxBytes = Long.parseLong(options.getOrDefault("max-bytes", Long.toString(
				SseBroadcaster.Builder.DEFAULT_HISTORY_MAX_BYTES)));
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long before = usedAfterGc(memory);
		String data = "x".repeat(size);
		int published = 0;
		String outcome = "completed";
		try (SseBroadcaster broadcaster = SseBroadcaster.builder()
			.maxEventSize(Math.max(size + 1024, SseBroadcaster.Builder.DEFAULT_MAX_EVENT_SIZE))
			.historyMaxBytes((maxBytes > 0) ? maxBytes : Long.MAX_VALUE)
			.build()) {
			for (int i = 0; i < events; i++) {
				broadcaster.send("topic-" + i, SseEvent.of(data));
				published++;
			}
			long after = usedAfterGc(memory);
			report(events, size, maxBytes, published, outcome, after - before, memory);
		}
		catch (OutOfMemoryError ex) {
			outcome = "OutOfMemoryError";
			report(events, size, maxBytes, published, outcome, -1, memory);
		}
	}

	private static void report(int events, int size, long maxBytes, int published, String outcome, long retained,
			MemoryMXBean memory) {
		System.out.printf("events=%d size=%dB max-bytes=%s max-heap=%.1fMB published=%d outcome=%s retained=%s%n",
				events, size, (maxBytes > 0) ? maxBytes + "B" : "none",
				memory.getHeapMemoryUsage().getMax() / 1048576.0, published, outcome,
				(retained >= 0) ? String.format("%.1fMB", retained / 1048576.0) : "-");
	}

	private static long usedAfterGc(MemoryMXBean memory) {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Expected --name=value, but got '" + arg + "'");
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

}
