package dev.ssebroadcast.benchmarks.load;

import java.util.Arrays;

/**
 * What one receiving thread saw, per event: how many clients got it, and when the first
 * and the last of them did. Written by that thread only, read by others once
 * {@link #deliveries()} says it has moved on; no locks on the receiving path.
 */
final class DeliveryLog {

	private final int[] counts;

	private final long[] published;

	private final long[] firstArrival;

	private final long[] lastArrival;

	private final int sampledUpTo;

	private int[] samplesMicros = new int[1 << 16];

	private int samples;

	private long duplicates;

	private volatile long deliveries;

	long now;

	/**
	 * @param maxSeq the highest sequence number that will be published
	 * @param sampledUpTo events up to this sequence number keep every latency
	 */
	DeliveryLog(int maxSeq, int sampledUpTo) {
		this.counts = new int[maxSeq + 1];
		this.published = new long[maxSeq + 1];
		this.firstArrival = new long[maxSeq + 1];
		this.lastArrival = new long[maxSeq + 1];
		this.sampledUpTo = sampledUpTo;
	}

	void record(long seq, long publishedNanos) {
		if (seq <= 0 || seq >= this.counts.length) {
			return;
		}
		int s = (int) seq;
		if (this.counts[s]++ == 0) {
			this.published[s] = publishedNanos;
			this.firstArrival[s] = this.now;
		}
		this.lastArrival[s] = this.now;
		if (s <= this.sampledUpTo) {
			if (this.samples == this.samplesMicros.length) {
				this.samplesMicros = Arrays.copyOf(this.samplesMicros, this.samples * 2);
			}
			this.samplesMicros[this.samples++] = (int) ((this.now - publishedNanos) / 1000);
		}
		this.deliveries = this.deliveries + 1;
	}

	void duplicate() {
		this.duplicates++;
		// The volatile write publishes the count to readers of deliveries().
		this.deliveries = this.deliveries;
	}

	long deliveries() {
		return this.deliveries;
	}

	long duplicates() {
		return this.duplicates;
	}

	int count(int seq) {
		return this.counts[seq];
	}

	long published(int seq) {
		return this.published[seq];
	}

	long firstArrival(int seq) {
		return this.firstArrival[seq];
	}

	long lastArrival(int seq) {
		return this.lastArrival[seq];
	}

	int[] samplesMicros() {
		return Arrays.copyOf(this.samplesMicros, this.samples);
	}

}
