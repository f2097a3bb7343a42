package dev.ssebroadcast.redis;

import java.time.Duration;

/**
 * The relay's settings, checked by {@link SseRedisRelay.Builder}.
 *
 * @param format the keys and scripts it uses
 * @param maxLength how many entries the stream keeps, about
 * @param maxAgeMillis how long the stream keeps entries, 0 for no limit
 * @param timeout how long a publish, and any other command, waits for Redis
 * @param connectTimeout how long the reader, and the first connection at start, wait
 * for a connection: the client's connect timeout
 * @param blockTimeout how long one read waits for new entries
 * @param batchSize most entries one read returns
 * @param batchBytes the bytes after which one read returns no further entry
 * @param minBackoff the first wait after a reader failure
 * @param maxBackoff the longest wait between reader attempts
 * @param lagListener told about each delivered event's lag
 */
record RelaySettings(WireFormat format, long maxLength, long maxAgeMillis, Duration timeout, Duration connectTimeout,
		Duration blockTimeout, int batchSize, long batchBytes, Duration minBackoff, Duration maxBackoff,
		RelayLagListener lagListener) {

	/** How long a blocking read may take before it counts as failed. */
	Duration readTimeout() {
		return this.blockTimeout.plus(this.timeout);
	}

}
