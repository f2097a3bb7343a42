package dev.ssebroadcast.benchmarks.load;

import java.util.List;

/**
 * What one sustained-publishing run measured against one server: the streams open, then
 * events published on a fixed schedule at each rate, whatever the deliveries.
 *
 * @param server the server's name
 * @param clients streams asked for
 * @param connected streams that opened
 * @param steps one per rate, in the order run
 * @param loadBefore the machine's 1-minute load average when the run started
 * @param loadAfter the same when it ended
 */
public record SustainedResult(String server, int clients, int connected, List<Step> steps, double loadBefore,
		double loadAfter) {

	/**
	 * One rate: unmeasured warm-up events, then measured ones, each published when its
	 * time comes (or at once if the last publish returned late).
	 *
	 * @param rate events per second asked for
	 * @param achievedRate measured events per second actually published, from the first
	 * measured publish to the last
	 * @param events measured events
	 * @param firstClient per event, latency to the first client that got it
	 * @param lastClient per event, latency to the last client that got it
	 * @param publish per event, how long the publishing request took to answer
	 * @param serverCpuPerEventMillis the server's CPU time over the measured events, per
	 * event (0 if the server's process is not known)
	 * @param lost deliveries missing, from streams open when the event was published
	 * @param publishFailures publishing requests that failed
	 */
	public record Step(int rate, double achievedRate, int events, Distribution firstClient, Distribution lastClient,
			Distribution publish, double serverCpuPerEventMillis, long lost, long publishFailures) {
	}

}
