package dev.ssebroadcast.benchmarks.load;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one load run does.
 *
 * @param host the server's loopback address
 * @param port the server's port
 * @param serverPid the server's process id, for memory and threads; 0 if unknown
 * @param clients how many streams to open
 * @param latencyEvents how many events to publish one at a time, each after the last
 * reached every client
 * @param offeredRates deliveries per second to offer in the throughput steps, in order
 * @param stepMillis how long each throughput step publishes
 * @param payloadBytes the size of each event's data
 * @param histogram where to write the server's heap histogram with all clients
 * connected, or {@code null} for none
 */
public record LoadSettings(String host, int port, long serverPid, int clients, int latencyEvents,
		List<Integer> offeredRates, long stepMillis, int payloadBytes, @Nullable Path histogram) {

	/** Ceiling on streams, under the per-process file-descriptor limit of 20000. */
	public static final int MAX_CLIENTS = 15_000;

	public LoadSettings {
		if (!host.startsWith("127.") && !host.equals("localhost")) {
			throw new IllegalArgumentException("The load tool only targets loopback, not " + host);
		}
		if (clients < 1 || clients > MAX_CLIENTS) {
			throw new IllegalArgumentException("clients must be 1.." + MAX_CLIENTS + ", but was " + clients);
		}
	}

	int maxSeq() {
		double events = this.latencyEvents + 10;
		for (int rate : this.offeredRates) {
			events += Math.ceil((double) rate / this.clients * this.stepMillis / 1000.0) + 1;
		}
		return (int) events;
	}

}
