package dev.ssebroadcast.benchmarks.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.ssebroadcast.benchmarks.load.Distribution;
import dev.ssebroadcast.benchmarks.load.RunResult;
import dev.ssebroadcast.benchmarks.load.StormResult;

/**
 * The results as Markdown tables: one row per server and client count, the throughput
 * steps, and the JMH results.
 */
final class MarkdownTables {

	private MarkdownTables() {
	}

	static String of(Environment environment, List<RunResult> runs, List<StormResult> storms, List<JmhResult> jmh) {
		StringBuilder md = new StringBuilder();
		md.append("Measured ").append(environment.describe()).append(".\n\n");
		md.append("| Server | N | Connect/s | CPU µs/connect | Heap/conn KiB | RSS/conn KiB | Threads idle→N | Latency p50 / p99 / max ms "
				+ "| First client p50 / p99 ms | Last client p50 / p99 / max ms | Server CPU ms/event | Sustained deliveries/s | Lost | Dup "
				+ "| Ended | Load 1m |\n");
		md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		List<RunResult> sorted = runs.stream().sorted(Comparator.comparingInt(RunResult::clients)).toList();
		for (RunResult run : sorted) {
			md.append(format("| %s | %d | %,.0f | %,.0f | %.1f | %.1f | %d→%d | %s | %s | %s | %.1f | %,.0f | %d | %d | %d | %.1f→%.1f |\n",
					run.server(), run.clients(), run.connectPerSecond(), run.serverCpuPerConnectMicros(), run.heapPerConnectionKiB(),
					run.rssPerConnectionKiB(), run.threadsIdle(), run.threads(), three(run.overall()),
					two(run.firstClient()), three(run.lastClient()), run.serverCpuPerEventMillis(), run.sustainedPerSecond(), run.lost(),
					run.duplicates(), run.streamsEnded(), run.loadBefore(), run.loadAfter()));
		}
		md.append("\nThroughput steps (each ").append("offered rate for a fixed time; the publisher waits for each publish):\n\n");
		md.append("| Server | N | Offered/s | Published / planned events | Delivered/s | Lost | Failed publishes |\n");
		md.append("|---|---:|---:|---:|---:|---:|---:|\n");
		for (RunResult run : sorted) {
			for (RunResult.ThroughputStep step : run.steps()) {
				md.append(format("| %s | %d | %,d | %d / %d | %,.0f | %d | %d |\n", run.server(), run.clients(),
						step.offeredPerSecond(), step.published(), step.planned(), step.deliveredPerSecond(),
						step.lost(), step.publishFailures()));
			}
		}
		if (!storms.isEmpty()) {
			md.append("\nReconnect storm (every client asks for a stream at once, fresh JVM after the warm-up):\n\n");
			md.append("| Server | N | Opened | Seconds | Streams/s | CPU µs/connect | Failed attempts | Load 1m |\n");
			md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
			for (StormResult storm : storms) {
				md.append(format("| %s | %d | %d | %.2f | %,.0f | %,.0f | %d | %.1f→%.1f |\n", storm.server(),
						storm.clients(), storm.connected(), storm.seconds(), storm.connected() / storm.seconds(),
						storm.serverCpuPerConnectMicros(), storm.failed(), storm.loadBefore(), storm.loadAfter()));
			}
		}
		if (!jmh.isEmpty()) {
			md.append("\nJMH (`-prof gc`), one event encoded and fanned out to N in-memory clients:\n\n");
			md.append("| Benchmark | N | Time per op | Allocated B/op |\n");
			md.append("|---|---:|---:|---:|\n");
			for (JmhResult result : jmh) {
				md.append(format("| %s | %d | %.2f ± %.2f %s | %,.0f |\n", result.benchmark(), result.clients(),
						result.score(), result.scoreError(), result.unit(), result.allocatedBytesPerOp()));
			}
		}
		return md.toString();
	}

	private static String three(Distribution d) {
		return format("%.1f / %.1f / %.1f", d.p50(), d.p99(), d.max());
	}

	private static String two(Distribution d) {
		return format("%.1f / %.1f", d.p50(), d.p99());
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
