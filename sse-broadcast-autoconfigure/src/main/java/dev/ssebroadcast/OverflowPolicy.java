package dev.ssebroadcast;

/**
 * What happens to a client whose queue is full when another event arrives for it.
 * Whatever the policy, other clients and the publisher are unaffected, and every drop or
 * disconnect is counted; and a client that stops reading altogether is disconnected once
 * a write to it takes longer than the write timeout.
 */
public enum OverflowPolicy {

	/**
	 * Disconnect the client. Its browser reconnects with {@code Last-Event-ID} and is
	 * sent what it missed from the history, so nothing within the history is lost.
	 */
	DISCONNECT,

	/**
	 * Make room by dropping the client's oldest queued event: for streams where only the
	 * latest state matters.
	 */
	DROP_OLDEST,

	/**
	 * Drop the arriving event for this client and keep what is queued.
	 */
	DROP_NEWEST

}
