package dev.ssebroadcast.relay;

/**
 * The event was not published: the relay could not send it (no connection) or the
 * server refused it. It is delivered nowhere, and publishing it again cannot make a
 * duplicate.
 */
public class SseRelayNotPublishedException extends SseRelayException {

	/**
	 * Create an exception.
	 * @param message what failed and where
	 * @param cause the underlying failure
	 */
	public SseRelayNotPublishedException(String message, Throwable cause) {
		super(message, cause);
	}

}
