package dev.ssebroadcast.relay;

/**
 * Where a relay hands events on an instance: it keeps them for replay and queues them
 * for the matching local clients. Implemented by the broadcaster; thread-safe.
 * <p>
 * Each event comes with its {@link Position}: the relay numbers events 1, 2, 3… within
 * an epoch, identically on every instance. A delivery that skips a number or changes the
 * epoch means events were lost: the fan-out then forgets the history before it and
 * sends every client an {@code sse-reset} event, so no client is handed a stream with a
 * hole.
 */
public interface SseFanOut {

	/**
	 * Deliver the next event. Returns without waiting for any client.
	 * @param event the event
	 * @param position its position: sequence 1 or more, one more than the last delivered
	 * @return the number of local clients it was queued for; 0 if it was delivered
	 * before
	 */
	int deliver(RelayedEvent event, Position position);

	/**
	 * Say that events up to and including {@code position} may have been lost (for
	 * example the shared log was lost): replay before that point ends, and every client
	 * is sent an {@code sse-reset} event. Delivery goes on after {@code position}.
	 * @param position the last position that may have been lost
	 */
	void lost(Position position);

	/**
	 * The number of local clients that an event would be queued for now.
	 * @param event the event
	 * @return the number of matching clients
	 */
	int recipients(RelayedEvent event);

}
