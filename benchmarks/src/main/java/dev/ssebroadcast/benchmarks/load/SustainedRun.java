package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency while events keep coming: N streams open, then at each rate events are
 * published on a fixed schedule (event k at start + k / rate), whatever the deliveries,
 * over one kept-alive connection. A publish that answers late makes the next one go at
 * once, and the rate actually achieved is reported. Latency runs from just before a
 * publishing request is sent to each client's receipt, on the monotonic clock both sides
 * read. Bounded in count and time.
 */
public final class SustainedRun {

	private static final int RECEIVER_THREADS = 2;

	private static final long CONNECT_TIMEOUT_MILLIS = 90_000;

	private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);

	// Open the streams at a bounded pace: the scenario measures publishing, not connecting.
	private static final int IDLE_SECONDS = 3;

	private final String server;

	private final LoadSettings settings;

	private final List<Integer> rates;

	private final int warmUpEvents;

	private final int measuredEvents;

	private final Progress progress;

	private int nextSeq = 1;

	/**
	 * @param rates events per second, run in order
	 * @param warmUpEvents unmeasured events before each rate's measured ones
	 * @param measuredEvents measured events per rate
	 */
	public SustainedRun(String server, LoadSettings settings, List<Integer> rates, int warmUpEvents,
			int measuredEvents) {
		this.server = server;
		this.settings = settings;
		this.rates = List.copyOf(rates);
		this.warmUpEvents = warmUpEvents;
		this.measuredEvents = measuredEvents;
		this.progress = new Progress(server + " N=" + settings.clients() + " sustained");
	}

	public SustainedResult run() throws IOException, InterruptedException {
		double loadBefore = loadAverage();
		ServerProbe probe = new ServerProbe(this.settings.serverPid());
		int maxSeq = this.rates.size() * (this.warmUpEvents + this.measuredEvents) + 1;
		try (Streams streams = new Streams(this.settings.host(), this.settings.port(), RECEIVER_THREADS, maxSeq, 0,
				Streams.MAX_CONNECTING);
				Publisher publisher = new Publisher(this.settings.host(), this.settings.port(),
						this.settings.payloadBytes())) {
			this.progress.start(streams);
			this.progress.phase("connecting " + this.settings.clients());
			int connected = streams.open(this.settings.clients(), CONNECT_TIMEOUT_MILLIS);
			this.progress.phase("idle " + IDLE_SECONDS + " s");
			Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
			List<SustainedResult.Step> steps = new ArrayList<>();
			for (int rate : this.rates) {
				this.progress.phase(rate + " events/s: " + this.warmUpEvents + " warm-up events");
				publishAt(rate, this.warmUpEvents, streams, publisher, null);
				this.progress.phase(rate + " events/s: " + this.measuredEvents + " measured events");
				steps.add(measure(rate, streams, publisher, probe));
			}
			this.progress.stop();
			return new SustainedResult(this.server, this.settings.clients(), connected, steps, loadBefore,
					loadAverage());
		}
		finally {
			this.progress.stop();
		}
	}

	private SustainedResult.Step measure(int rate, Streams streams, Publisher publisher, ServerProbe probe)
			throws IOException, InterruptedException {
		long failuresBefore = publisher.failures();
		int firstSeq = this.nextSeq;
		long cpuBefore = cpuMillis(probe);
		int[] expected = new int[this.measuredEvents];
		int[] publishMicros = new int[this.measuredEvents];
		long[] window = publishAt(rate, this.measuredEvents, streams, publisher, new Measured(expected, publishMicros));
		long lastPublished = System.nanoTime();
		long lost = 0;
		int[] first = new int[this.measuredEvents];
		int[] last = new int[this.measuredEvents];
		for (int i = 0; i < this.measuredEvents; i++) {
			int seq = firstSeq + i;
			streams.awaitDelivered(seq, expected[i], Math.max(0, lastPublished + DRAIN_NANOS - System.nanoTime()));
			lost += Math.max(0, expected[i] - streams.delivered(seq));
			first[i] = streams.arrivalMicros(seq, true);
			last[i] = streams.arrivalMicros(seq, false);
		}
		double cpuPerEvent = (double) (cpuMillis(probe) - cpuBefore) / this.measuredEvents;
		double seconds = (window[1] - window[0]) / 1e9;
		double achieved = (this.measuredEvents > 1 && seconds > 0) ? (this.measuredEvents - 1) / seconds : rate;
		return new SustainedResult.Step(rate, achieved, this.measuredEvents, Distribution.ofMicros(first),
				Distribution.ofMicros(last), Distribution.ofMicros(publishMicros), cpuPerEvent, lost,
				publisher.failures() - failuresBefore);
	}

	/**
	 * Publish {@code count} events, event k due at start + k / rate.
	 * @return when the first and the last publish were sent
	 */
	private long[] publishAt(int rate, int count, Streams streams, Publisher publisher, Measured measured)
			throws InterruptedException {
		long interval = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime();
		long firstSent = 0;
		long lastSent = 0;
		for (int i = 0; i < count; i++) {
			long wait = start + i * interval - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			int seq = this.nextSeq++;
			if (measured != null) {
				measured.expected[i] = streams.open();
			}
			lastSent = System.nanoTime();
			if (i == 0) {
				firstSent = lastSent;
			}
			publisher.publish(seq);
			if (measured != null) {
				measured.publishMicros[i] = (int) ((System.nanoTime() - lastSent) / 1000);
			}
		}
		return new long[] { firstSent, lastSent };
	}

	private long cpuMillis(ServerProbe probe) throws IOException {
		return (this.settings.serverPid() > 0) ? probe.cpuMillis() : 0;
	}

	private static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	/** Where the measured events' expected counts and publishing times go. */
	private record Measured(int[] expected, int[] publishMicros) {
	}

}
