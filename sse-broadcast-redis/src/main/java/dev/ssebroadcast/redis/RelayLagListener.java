package dev.ssebroadcast.redis;

/**
 * Told how long each event took from its publishing call, on whichever instance, to
 * this instance's fan-out; for example to record it as a timer. Called on the relay's
 * reader thread, once per event, so it must be quick.
 */
@FunctionalInterface
public interface RelayLagListener {

	/**
	 * One event reached this instance's fan-out.
	 * @param lagNanos nanoseconds from publishing to fan-out, as far as the two
	 * machines' wall clocks agree; never negative
	 */
	void delivered(long lagNanos);

}
