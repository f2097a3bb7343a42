package dev.ssebroadcast.benchmarks.jmh;

import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One event, encoded and fanned out to N in-memory clients through the public API.
 * <p>
 * Each client is streamed as in production, by {@link SseClient#streamTo} on a virtual
 * thread of its own, into an {@code OutputStream} that discards. An operation is one
 * {@code broadcast} plus the wait until every client's queue is empty again, so the
 * next operation starts from the same state and the queues never fill. The time per
 * operation therefore includes waking N virtual threads and their writes; the
 * allocation per operation ({@code -prof gc}) counts every thread, publisher and
 * streams alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xmx2g", "-XX:+UseG1GC" })
public class FanOutBenchmark {

	private static final SseEvent EVENT = SseEvent.of("{\"price\":101.25,\"symbol\":\"ACME\",\"seq\":123456789}")
		.withEvent("price");

	@Param({ "10", "1000", "10000" })
	private int clients;

	private SseBroadcaster broadcaster;

	private final List<SseClient> connected = new ArrayList<>();

	@Setup
	public void connect() {
		// A heartbeat far beyond the run: only events wake a stream.
		this.broadcaster = SseBroadcaster.builder().heartbeat(Duration.ofHours(1)).build();
		for (int i = 0; i < this.clients; i++) {
			SseClient client = this.broadcaster.connect();
			this.connected.add(client);
			Thread.ofVirtual().start(() -> client.streamTo(OutputStream.nullOutputStream(), () -> {
			}));
		}
	}

	@Benchmark
	public int broadcastAndDrain() {
		int queued = this.broadcaster.broadcast(EVENT);
		for (SseClient client : this.connected) {
			while (client.queued() > 0) {
				Thread.yield();
			}
		}
		return queued;
	}

	@TearDown
	public void close() {
		this.broadcaster.close();
	}

}
