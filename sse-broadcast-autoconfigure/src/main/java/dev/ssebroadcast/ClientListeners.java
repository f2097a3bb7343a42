package dev.ssebroadcast;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells each {@link SseClientListener} in turn; one that throws is logged and does not
 * keep the others, or the stream, from going on.
 */
final class ClientListeners {

	private static final System.Logger logger = System.getLogger(ClientListeners.class.getName());

	static final ClientListeners NONE = new ClientListeners(List.of());

	private final List<SseClientListener> listeners;

	ClientListeners(List<SseClientListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	ClientListeners with(SseClientListener listener) {
		List<SseClientListener> all = new ArrayList<>(this.listeners);
		all.add(listener);
		return new ClientListeners(all);
	}

	void connected(SseClient client) {
		for (SseClientListener listener : this.listeners) {
			try {
				listener.onConnect(client);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, () -> listener + " failed on the connection of " + client, ex);
			}
		}
	}

	void disconnected(SseClient client, DisconnectReason reason) {
		for (SseClientListener listener : this.listeners) {
			try {
				listener.onDisconnect(client, reason);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, () -> listener + " failed on the disconnection of " + client, ex);
			}
		}
	}

}
