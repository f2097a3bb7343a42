package dev.ssebroadcast.benchmarks.load;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies, in milliseconds.
 *
 * @param count how many values
 * @param p50 the median
 * @param p99 the 99th percentile (nearest rank)
 * @param max the largest
 */
public record Distribution(long count, double p50, double p99, double max) {

	static Distribution ofMicros(int[] micros) {
		if (micros.length == 0) {
			return new Distribution(0, Double.NaN, Double.NaN, Double.NaN);
		}
		int[] sorted = micros.clone();
		Arrays.sort(sorted);
		return new Distribution(sorted.length, millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)),
				millis(sorted[sorted.length - 1]));
	}

	private static int rank(int[] sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
	}

	private static double millis(int micros) {
		return micros / 1000.0;
	}

}
