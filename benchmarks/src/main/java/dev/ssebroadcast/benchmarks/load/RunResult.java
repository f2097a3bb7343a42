package dev.ssebroadcast.benchmarks.load;

import java.util.List;

/**
 * Everything one load run measured against one server.
 *
 * @param server the server's name
 * @param clients streams asked for
 * @param connected streams that opened
 * @param connectPerSecond streams opened per second
 * @param heapPerConnectionKiB live heap per stream: (heap after GC with the streams
 * minus without) / streams
 * @param heapKiB live heap with the streams open
 * @param rssPerConnectionKiB resident memory per stream, the same way
 * @param rssKiB resident memory with the streams open
 * @param threads the server's OS threads with the streams open
 * @param threadsIdle the server's OS threads before any stream opened
 * @param overall latency of every delivery of the latency events
 * @param firstClient per latency event, latency to the first client that got it
 * @param lastClient per latency event, latency to the last client that got it
 * @param steps the throughput steps
 * @param sustainedPerSecond the highest deliveries per second of a step with nothing
 * lost, 0 if none
 * @param lost deliveries missing over the whole run, from streams that were open when
 * the event was published
 * @param duplicates events a client got twice or out of order
 * @param streamsEnded streams that ended before the run did (a server drops a client
 * that does not keep up)
 * @param serverCpuPerConnectMicros CPU time the server used per stream while they
 * opened, JIT compilation and garbage collection included (0 if the server's process is
 * not known)
 * @param serverCpuPerEventMillis CPU time the server used per latency event, waking
 * and writing to every client included (0 if the server's process is not known)
 * @param loadBefore the machine's 1-minute load average when the run started
 * @param loadAfter the same when it ended
 */
public record RunResult(String server, int clients, int connected, double connectPerSecond, double heapPerConnectionKiB,
		long heapKiB, double rssPerConnectionKiB, long rssKiB, long threads, long threadsIdle, Distribution overall,
		Distribution firstClient, Distribution lastClient, List<ThroughputStep> steps, double sustainedPerSecond,
		long lost, long duplicates, int streamsEnded, double serverCpuPerConnectMicros, double serverCpuPerEventMillis, double loadBefore, double loadAfter) {

	/**
	 * One throughput step: a fixed offered rate for a fixed time.
	 *
	 * @param offeredPerSecond deliveries per second offered
	 * @param published events published
	 * @param planned events the offered rate asked for in the time
	 * @param deliveredPerSecond deliveries per second achieved, from the first publish
	 * to the last arrival
	 * @param lost deliveries missing
	 * @param publishFailures publish calls that failed
	 */
	public record ThroughputStep(int offeredPerSecond, int published, int planned, double deliveredPerSecond,
			long lost, long publishFailures) {
	}

}
