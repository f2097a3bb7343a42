package dev.ssebroadcast.relay;

/**
 * Thrown when a relay cannot hand an event on, for example because the server that it
 * shares events through is unreachable. Its subclasses say whether the event may have
 * been published: {@link SseRelayNotPublishedException} when it certainly was not,
 * {@link SseRelayOutcomeUnknownException} when the relay sent it and got no answer.
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
