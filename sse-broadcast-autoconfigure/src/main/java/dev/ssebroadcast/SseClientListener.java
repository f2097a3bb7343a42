package dev.ssebroadcast;

/**
 * Told when a client's stream starts and when it ends, for example to send a client a
 * welcome or the current state, or to keep a list of who is online. The
 * auto-configured broadcaster tells every bean of this type, in order.
 * <p>
 * Both methods run on the client's streaming thread, the one in
 * {@link SseClient#streamTo}, never on a publisher's: they may block, and hold up only
 * that client. {@link #onConnect} runs before anything of the stream but its opening
 * comment is written, and {@link #onDisconnect} exactly once after it ended, whatever
 * ended it, so every call to one is followed by one to the other. An exception from
 * either is logged, and neither the stream nor the other listeners are affected.
 */
public interface SseClientListener {

	/**
	 * A client's stream starts. The client is registered: an event sent to it now, with
	 * {@link SseBroadcaster#sendToClient}, is written right after the events it missed
	 * since its {@code Last-Event-ID} (or its {@code sse-reset}), in publishing order with
	 * the events that were published since it connected.
	 * @param client the client, open unless something closed it meanwhile
	 */
	default void onConnect(SseClient client) {
	}

	/**
	 * A client's stream ended. The broadcaster no longer counts it: its
	 * {@code max-clients} slot is free, and nothing sent to it arrives.
	 * @param client the client, closed
	 * @param reason why it ended, as {@link SseClient#disconnectReason()} says
	 */
	default void onDisconnect(SseClient client, DisconnectReason reason) {
	}

}
