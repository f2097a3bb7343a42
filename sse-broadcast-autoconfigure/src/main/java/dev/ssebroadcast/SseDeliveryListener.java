package dev.ssebroadcast;

/**
 * Told about each event written to a client, for example to record how long events
 * take from publishing to the network. Called on the client's streaming thread, never on
 * the publisher's, so it may be as slow as a metrics library's timer. The
 * auto-configured broadcaster tells every bean of this type, in order, including the
 * {@code sse.delivery.lag} timer.
 */
@FunctionalInterface
public interface SseDeliveryListener {

	/**
	 * One event was written and flushed to one client.
	 * @param lagNanos nanoseconds from the publishing call to the flush
	 */
	void delivered(long lagNanos);

}
