package dev.ssebroadcast.relay;

import java.time.Duration;

/**
 * Carries published events to the fan-out of every instance that shares it, this one
 * included, in one order. The broadcaster {@link #start starts} it once when it is
 * created and {@link #stop stops} it when it is closed.
 * <p>
 * Implementations are thread-safe. {@link #publish} may block, but only for a bounded
 * time: it returns once the event is handed on, or throws an {@link SseRelayException}
 * that says whether the event may have been handed on.
 */
public interface SseRelay {

	/**
	 * Begin delivering events to {@code fanOut}, including (for a shared relay) events
	 * still kept from before this instance started, so that it can replay them.
	 * @param fanOut this instance's fan-out
	 */
	void start(SseFanOut fanOut);

	/**
	 * Hand {@code event} to every instance.
	 * @param event the event
	 * @return the number of clients on this instance it was queued for or, when delivery
	 * is asynchronous, that match it now
	 * @throws SseRelayNotPublishedException if the event was not handed on; it is then
	 * not delivered anywhere
	 * @throws SseRelayOutcomeUnknownException if it was sent but not confirmed in time; it
	 * may be delivered
	 */
	int publish(RelayedEvent event);

	/**
	 * Stop delivering. Idempotent.
	 */
	void stop();

	/**
	 * The number below the first client id of this instance. Client ids are this plus
	 * 1, 2, 3…; a shared relay gives each instance its own range, so that ids are unique
	 * across instances.
	 * @return the origin, 0 by default
	 */
	default long clientIdOrigin() {
		return 0;
	}

	/**
	 * How long a client that reconnects with the id of an event this instance has not
	 * delivered yet waits for it. With a shared relay, the instance it came from may be a
	 * little ahead of this one; after the wait the client's stream opens anyway, and the
	 * events up to its id are passed over as they arrive here.
	 * @return the wait, zero by default: with one instance such an id is not from this
	 * run, and the client is sent {@code sse-reset}
	 */
	default Duration catchUpTimeout() {
		return Duration.ZERO;
	}

}
