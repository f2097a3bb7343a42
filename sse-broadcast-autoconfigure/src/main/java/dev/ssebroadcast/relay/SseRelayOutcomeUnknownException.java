package dev.ssebroadcast.relay;

/**
 * The event was sent but no answer came in time (or the connection was lost while
 * waiting): it may have been published and be delivered, or not. A relay that says so
 * in its documentation appends an event with the application's id at most once while
 * that id is retained, so publishing the same event again with the same id is then safe.
 */
public class SseRelayOutcomeUnknownException extends SseRelayException {

	/**
	 * Create an exception.
	 * @param message what failed and where, and that the event may have been published
	 * @param cause the underlying failure
	 */
	public SseRelayOutcomeUnknownException(String message, Throwable cause) {
		super(message, cause);
	}

}
