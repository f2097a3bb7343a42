package dev.ssebroadcast.relay;

/**
 * Thrown when a relay cannot hand an event on, for example because the server that it
 * shares events through is unreachable. The event is not delivered anywhere: nothing is
 * dropped silently.
 */
public class SseRelayException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what failed, naming the address that could not be reached
	 * @param cause the underlying failure
	 */
	public SseRelayException(String message, Throwable cause) {
		super(message, cause);
	}

}
