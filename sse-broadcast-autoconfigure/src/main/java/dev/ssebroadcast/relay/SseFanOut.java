package dev.ssebroadcast.relay;

/**
 * Where a relay hands events on an instance: it keeps them for replay and queues them
 * for the matching local clients. Implemented by the broadcaster; thread-safe.
 * <p>
 * Positions are an epoch and a sequence number: the relay numbers events 1, 2, 3… within
 * an epoch, identically on every instance. A delivery that skips a number or changes the
 * epoch means events were lost: the fan-out then forgets the history before it and
 * sends every client an {@code sse-reset} event, so no client is handed a stream with a
 * hole.
 */
public interface SseFanOut {

	/**
	 * Deliver the next event. Returns without waiting for any client.
	 * @param event the event
	 * @param epoch the epoch of its position: letters and digits
	 * @param sequence its number within the epoch, one more than the last delivered
	 * @return the number of local clients it was queued for; 0 if it was delivered
	 * before
	 */
	int deliver(RelayedEvent event, String epoch, long sequence);

	/**
	 * Say that events up to and including {@code sequence} of {@code epoch} may have been
	 * lost (for example the shared log was lost): replay before that point ends, and
	 * every client is sent an {@code sse-reset} event.
	 * @param epoch the epoch from which delivery goes on
	 * @param sequence the last position that may have been lost
	 */
	void lost(String epoch, long sequence);

	/**
	 * The number of local clients that an event would be queued for now.
	 * @param event the event
	 * @return the number of matching clients
	 */
	int recipients(RelayedEvent event);

}
