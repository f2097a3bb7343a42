package dev.ssebroadcast.benchmarks.load;

/**
 * What one reconnect storm measured: every client asking for a stream at once.
 *
 * @param server the server's name
 * @param clients streams asked for
 * @param connected streams that opened
 * @param seconds from the first connection attempt until the last stream that opened
 * did
 * @param serverCpuPerConnectMicros CPU time the server used per stream meanwhile (0 if
 * its process is not known)
 * @param failed connection attempts that failed
 * @param loadBefore the machine's 1-minute load average when the storm started
 * @param loadAfter the same when it ended
 */
public record StormResult(String server, int clients, int connected, double seconds,
		double serverCpuPerConnectMicros, int failed, double loadBefore, double loadAfter) {

}
