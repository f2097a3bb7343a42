package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run against one server, in phases: warm up, measure the idle server, open the
 * streams, publish isolated events for latency, measure memory and threads, then offer
 * rising event rates for throughput. Bounded in count and time throughout.
 */
public final class LoadRun {

	private static final int RECEIVER_THREADS = 2;

	// Few: Tomcat caches the processors (with their buffers) of closed connections, and
	// cached ones would be counted in the idle heap and then reused by the measured streams.
	private static final int WARM_UP_CLIENTS = 20;

	private static final int WARM_UP_EVENTS = 300;

	// Events to every stream before the measured ones, so that the fan-out to N clients is
	// compiled and the connect phase's garbage collected before latency is taken.
	private static final int SETTLE_EVENTS = 20;

	private static final long SETTLE_PAUSE_MILLIS = 100;

	private static final long CONNECT_TIMEOUT_MILLIS = 90_000;

	private static final long EVENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);

	private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(3);

	private final String server;

	private final LoadSettings settings;

	private final Progress progress;

	private int nextSeq = 1;

	public LoadRun(String server, LoadSettings settings) {
		this.server = server;
		this.settings = settings;
		this.progress = new Progress(server + " N=" + settings.clients());
	}

	public RunResult run() throws IOException, InterruptedException {
		double loadBefore = loadAverage();
		ServerProbe probe = new ServerProbe(this.settings.serverPid());
		try (Streams streams = new Streams(this.settings.host(), this.settings.port(), RECEIVER_THREADS,
				this.settings.maxSeq(), this.settings.latencyEvents(), Streams.MAX_CONNECTING);
				Publisher publisher = new Publisher(this.settings.host(), this.settings.port(),
						this.settings.payloadBytes())) {
			this.progress.start(streams);
			warmUp(streams, publisher);
			this.progress.phase("idle server: GC and measure");
			Memory idle = Memory.of(probe, this.settings.serverPid() > 0);
			int endedBefore = streams.ended();

			this.progress.phase("connecting " + this.settings.clients());
			long connectCpuBefore = serverCpuMillis(probe);
			long connectStart = System.nanoTime();
			int connected = streams.open(this.settings.clients(), CONNECT_TIMEOUT_MILLIS);
			double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
			double cpuPerConnect = (serverCpuMillis(probe) - connectCpuBefore) * 1000.0 / Math.max(1, connected);
			if (connected < this.settings.clients()) {
				this.progress.say("only " + connected + " of " + this.settings.clients() + " streams opened; "
						+ streams.failed() + " failed, last: " + streams.lastFailure());
			}

			this.progress.phase("settling: GC, " + SETTLE_EVENTS + " unmeasured events to every stream");
			settle(probe, publisher);

			this.progress.phase("latency: " + this.settings.latencyEvents() + " isolated events");
			long cpuBefore = serverCpuMillis(probe);
			int[] expected = latency(streams, publisher);
			double cpuPerEvent = (double) (serverCpuMillis(probe) - cpuBefore) / this.settings.latencyEvents();
			int[] first = new int[this.settings.latencyEvents()];
			int[] last = new int[this.settings.latencyEvents()];
			for (int seq = 1; seq <= this.settings.latencyEvents(); seq++) {
				first[seq - 1] = streams.arrivalMicros(seq, true);
				last[seq - 1] = streams.arrivalMicros(seq, false);
			}
			Distribution overall = Distribution.ofMicros(streams.latencySamplesMicros());

			this.progress.phase("connected server: GC and measure");
			Memory busy = Memory.of(probe, this.settings.serverPid() > 0);
			if (this.settings.histogram() != null && this.settings.serverPid() > 0) {
				probe.histogram(this.settings.histogram(), 40);
				probe.perStreamHistogram(sibling(this.settings.histogram(), "-per-stream.txt"), connected);
			}

			long lost = 0;
			List<RunResult.ThroughputStep> steps = new ArrayList<>();
			for (int offered : this.settings.offeredRates()) {
				this.progress.phase("throughput: offering " + offered + " deliveries/s");
				RunResult.ThroughputStep step = throughput(streams, publisher, offered);
				steps.add(step);
				lost += step.lost();
			}
			double sustained = steps.stream()
				.filter((step) -> step.lost() == 0 && step.publishFailures() == 0)
				.mapToDouble(RunResult.ThroughputStep::deliveredPerSecond)
				.max()
				.orElse(0);
			// Counted last, so that a late delivery of a latency event is not taken as lost.
			for (int seq = 1; seq <= expected.length; seq++) {
				lost += Math.max(0, expected[seq - 1] - streams.delivered(seq));
			}
			int ended = streams.ended() - endedBefore;
			long duplicates = streams.duplicates();
			if (this.settings.histogram() != null && this.settings.serverPid() > 0) {
				warmRound(streams, publisher, probe, sibling(this.settings.histogram(), "-per-stream-warm.txt"));
			}
			this.progress.stop();
			return new RunResult(this.server, this.settings.clients(), connected, connected / connectSeconds,
					perConnection(busy.heapKiB() - idle.heapKiB(), connected), busy.heapKiB(),
					perConnection(busy.rssKiB() - idle.rssKiB(), connected), busy.rssKiB(), busy.threads(),
					idle.threads(), overall, Distribution.ofMicros(first), Distribution.ofMicros(last), steps,
					sustained, lost, duplicates, ended, cpuPerConnect, cpuPerEvent, loadBefore, loadAverage());
		}
		finally {
			this.progress.stop();
		}
	}

	/**
	 * A reconnect storm: after the same warm-up, every client asks for a stream at once,
	 * and the run ends when all have their first comment.
	 */
	public StormResult storm() throws IOException, InterruptedException {
		double loadBefore = loadAverage();
		ServerProbe probe = new ServerProbe(this.settings.serverPid());
		int clients = this.settings.clients();
		try (Streams streams = new Streams(this.settings.host(), this.settings.port(), RECEIVER_THREADS,
				this.settings.maxSeq(), this.settings.latencyEvents(), clients + WARM_UP_CLIENTS);
				Publisher publisher = new Publisher(this.settings.host(), this.settings.port(),
						this.settings.payloadBytes())) {
			this.progress.start(streams);
			warmUp(streams, publisher);
			this.progress.phase("storm: " + clients + " clients at once");
			long cpuBefore = serverCpuMillis(probe);
			long start = System.nanoTime();
			int connected = streams.open(clients, CONNECT_TIMEOUT_MILLIS);
			// Until the last stream that opened did: one that never opens would add the timeout.
			double seconds = (streams.lastConnectedNanos() - start) / 1e9;
			double cpuPerConnect = (serverCpuMillis(probe) - cpuBefore) * 1000.0 / Math.max(1, connected);
			this.progress.stop();
			return new StormResult(this.server, clients, connected, seconds, cpuPerConnect, streams.failed(),
					loadBefore, loadAverage());
		}
		finally {
			this.progress.stop();
		}
	}

	/**
	 * Close every stream and open as many again, now that the server has compiled its
	 * stream path, settle them as the measured ones were, then write what each stream
	 * holds: the frames a parked thread keeps are smaller once compiled than in a fresh
	 * JVM's first streams.
	 */
	private void warmRound(Streams streams, Publisher publisher, ServerProbe probe, Path file)
			throws IOException, InterruptedException {
		this.progress.phase("warm round: reconnecting " + this.settings.clients());
		closeAll(streams, publisher);
		int connected = streams.open(this.settings.clients(), CONNECT_TIMEOUT_MILLIS);
		// As for the streams measured before: a GC, then events, then the histogram.
		settle(probe, publisher);
		probe.perStreamHistogram(file, connected);
	}

	private static Path sibling(Path file, String suffix) {
		String name = file.getFileName().toString();
		return file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + suffix);
	}

	private void warmUp(Streams streams, Publisher publisher) throws IOException, InterruptedException {
		this.progress.phase("warm-up: " + WARM_UP_CLIENTS + " streams, " + WARM_UP_EVENTS + " events");
		streams.open(Math.min(WARM_UP_CLIENTS, this.settings.clients()), CONNECT_TIMEOUT_MILLIS);
		for (int i = 0; i < WARM_UP_EVENTS; i++) {
			publisher.publish(0);
		}
		closeAll(streams, publisher);
	}

	/** Close every stream, and publish until the server has dropped them all. */
	private static void closeAll(Streams streams, Publisher publisher) throws IOException, InterruptedException {
		streams.closeAll();
		// Servers notice a gone client when they next write to it.
		for (int i = 0; i < 3; i++) {
			Thread.sleep(200);
			publisher.publish(0);
		}
		Thread.sleep(500);
	}

	private void settle(ServerProbe probe, Publisher publisher) throws IOException, InterruptedException {
		if (this.settings.serverPid() > 0) {
			probe.heapAfterGcKiB();
		}
		for (int i = 0; i < SETTLE_EVENTS; i++) {
			publisher.publish(0);
			Thread.sleep(SETTLE_PAUSE_MILLIS);
		}
		Thread.sleep(10 * SETTLE_PAUSE_MILLIS);
	}

	private int[] latency(Streams streams, Publisher publisher) throws InterruptedException {
		int[] expected = new int[this.settings.latencyEvents()];
		for (int i = 0; i < expected.length; i++) {
			int seq = this.nextSeq++;
			expected[i] = streams.open();
			publisher.publish(seq);
			streams.awaitDelivered(seq, expected[i], EVENT_TIMEOUT_NANOS);
			Thread.sleep(10);
		}
		return expected;
	}

	private RunResult.ThroughputStep throughput(Streams streams, Publisher publisher, int offered)
			throws InterruptedException {
		long failuresBefore = publisher.failures();
		double eventsPerSecond = (double) offered / this.settings.clients();
		long interval = (long) (1e9 / eventsPerSecond);
		long duration = TimeUnit.MILLISECONDS.toNanos(this.settings.stepMillis());
		int planned = (int) (duration / interval);
		int firstSeq = this.nextSeq;
		long[] expected = new long[planned];
		long start = System.nanoTime();
		int published = 0;
		while (published < planned && System.nanoTime() - start < duration) {
			long due = start + published * interval;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			expected[published] = streams.open();
			publisher.publish(this.nextSeq++);
			published++;
		}
		long lastPublished = System.nanoTime();
		long lost = 0;
		long delivered = 0;
		long lastArrival = start;
		for (int i = 0; i < published; i++) {
			int seq = firstSeq + i;
			streams.awaitDelivered(seq, (int) expected[i], Math.max(0, lastPublished + DRAIN_NANOS - System.nanoTime()));
			int count = streams.delivered(seq);
			delivered += count;
			lost += Math.max(0, expected[i] - count);
			lastArrival = Math.max(lastArrival, streams.lastArrival(seq));
		}
		double seconds = Math.max(1e-9, (lastArrival - start) / 1e9);
		return new RunResult.ThroughputStep(offered, published, planned, delivered / seconds, lost,
				publisher.failures() - failuresBefore);
	}

	private long serverCpuMillis(ServerProbe probe) throws IOException {
		return (this.settings.serverPid() > 0) ? probe.cpuMillis() : 0;
	}

	private static double perConnection(long kib, int connections) {
		return connections == 0 ? Double.NaN : (double) kib / connections;
	}

	private static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	/** The server's memory and threads at one moment. */
	private record Memory(long heapKiB, long rssKiB, long threads) {

		static Memory of(ServerProbe probe, boolean known) throws IOException, InterruptedException {
			if (!known) {
				return new Memory(0, 0, 0);
			}
			long heap = probe.heapAfterGcKiB();
			return new Memory(heap, probe.rssKiB(), probe.threads());
		}

	}

}
