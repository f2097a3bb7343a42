package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at the server process from outside: resident memory and thread count from
 * {@code /proc}, live heap with {@code jcmd} (a full GC, then the heap's used size).
 *
 * @param pid the server's process id
 */
record ServerProbe(long pid) {

	private static final Pattern USED = Pattern.compile("used (\\d+)K");

	private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

	// The baselines' own classes, which share this starter's package prefix.
	private static final String BENCHMARKS = "dev.ssebroadcast.benchmarks.";

	// This starter's classes, and what a parked virtual thread holds.
	private static final Pattern PER_STREAM = Pattern.compile(String.join("|", "^dev\\.ssebroadcast\\.",
			"^java\\.lang\\.VirtualThread$", "^java\\.lang\\.VirtualThread\\$VThreadContinuation$",
			"^jdk\\.internal\\.vm\\.StackChunk$", "^(\\[L)?java\\.lang\\.ThreadLocal\\$ThreadLocalMap"));

	/** A full GC, then the used heap: what the server holds live. */
	long heapAfterGcKiB() throws IOException, InterruptedException {
		jcmd("GC.run");
		for (String line : jcmd("GC.heap_info").lines().toList()) {
			Matcher used = USED.matcher(line);
			if (line.contains("heap") && used.find()) {
				return Long.parseLong(used.group(1));
			}
		}
		throw new IOException("No heap size in jcmd GC.heap_info output");
	}

	long rssKiB() throws IOException {
		return status("VmRSS:");
	}

	/**
	 * CPU time the server used so far, user and system, from {@code /proc/PID/stat}
	 * (clock ticks of 10 ms).
	 */
	long cpuMillis() throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(this.pid), "stat"));
		// Fields after the command name, which is in parentheses and may hold spaces.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
	}

	long threads() throws IOException {
		return status("Threads:");
	}

	/** Write the classes that hold the most heap to {@code file}. */
	void histogram(Path file, int rows) throws IOException, InterruptedException {
		List<String> lines = jcmd("GC.class_histogram").lines().limit(rows + 3L).toList();
		Files.createDirectories(file.getParent());
		Files.write(file, lines);
	}

	/**
	 * Write what each of {@code streams} open streams holds of its own to {@code file}:
	 * the rows of the class histogram for this starter's classes and for the parked
	 * virtual thread (its object, continuation, stack chunks and thread-locals), with
	 * bytes per stream. Nothing is written for a server that has none of them.
	 */
	void perStreamHistogram(Path file, int streams) throws IOException, InterruptedException {
		List<String> lines = new ArrayList<>();
		lines.add(String.format("%-80s %10s %12s %10s", "class", "instances", "bytes", "B/stream"));
		long total = 0;
		for (String line : jcmd("GC.class_histogram").lines().toList()) {
			Matcher row = HISTOGRAM_ROW.matcher(line);
			if (row.find() && PER_STREAM.matcher(row.group(3)).find() && !row.group(3).startsWith(BENCHMARKS)) {
				long instances = Long.parseLong(row.group(1));
				long bytes = Long.parseLong(row.group(2));
				if (instances >= streams) {
					total += bytes;
					lines.add(String.format("%-80s %10d %12d %10.0f", row.group(3), instances, bytes,
							(double) bytes / streams));
				}
			}
		}
		if (total == 0) {
			// A server without this starter and without virtual threads.
			return;
		}
		lines.add(String.format("%-80s %10s %12d %10.0f", "total (classes with one instance or more per stream)", "",
				total, (double) total / streams));
		Files.createDirectories(file.getParent());
		Files.write(file, lines);
	}

	private long status(String field) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.pid), "status"))) {
			if (line.startsWith(field)) {
				return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
			}
		}
		throw new IOException(field + " not in /proc/" + this.pid + "/status");
	}

	private String jcmd(String command) throws IOException, InterruptedException {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		Process process = new ProcessBuilder(jcmd.toString(), Long.toString(this.pid), command).redirectErrorStream(true)
			.start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("jcmd " + command + " failed: " + new String(output, StandardCharsets.UTF_8));
		}
		return new String(output, StandardCharsets.UTF_8);
	}

}
