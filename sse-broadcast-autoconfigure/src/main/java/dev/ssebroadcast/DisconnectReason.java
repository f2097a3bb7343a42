package dev.ssebroadcast;

/**
 * Why a client's stream ended.
 */
public enum DisconnectReason {

	/** Its queue was full and its overflow policy is {@link OverflowPolicy#DISCONNECT}. */
	OVERFLOW,

	/**
	 * One write took longer than the write timeout (the client stopped reading), or a
	 * write failed for another reason than the client leaving.
	 */
	WRITE_ERROR,

	/**
	 * The client left: it closed its connection (a closed tab), the connection was reset,
	 * or the server container reported it gone.
	 */
	CLIENT_GONE,

	/** The application closed it, with {@link SseClient#close()} or a disconnect-all. */
	CLOSED,

	/**
	 * The broadcaster was closed, typically because the application is stopping; with a
	 * {@link SseBroadcaster.Builder#shutdownReconnectSpread shutdown reconnect spread},
	 * it was told first when to reconnect.
	 */
	SHUTDOWN,

	/**
	 * The authentication or session that opened it ended; it was sent a final
	 * {@value SseBroadcaster#EXPIRED_EVENT} event first.
	 */
	EXPIRED,

	/** {@link SseBroadcaster#disconnect(long)} or {@link SseBroadcaster#disconnectUser} ended it. */
	REVOKED,

	/**
	 * It reached its maximum lifetime, and was told to reconnect, which resumes where it
	 * ended; see {@link SseBroadcaster.Builder#maxConnectionLifetime}.
	 */
	LIFETIME_ENDED

}
