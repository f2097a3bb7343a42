package dev.ssebroadcast.autoconfigure;

import java.util.List;
import java.util.function.Consumer;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseClientListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Tells every {@link SseClientListener} bean, in order. The beans are looked up when the
 * first stream starts rather than when the broadcaster is made, so that a listener may
 * depend on the broadcaster, to greet a client for example. One that throws is logged
 * and the others are still told.
 */
final class BeanClientListeners implements SseClientListener {

	private static final Log logger = LogFactory.getLog(BeanClientListeners.class);

	private final ObjectProvider<SseClientListener> beans;

	private volatile @Nullable List<SseClientListener> listeners;

	BeanClientListeners(ObjectProvider<SseClientListener> beans) {
		this.beans = beans;
	}

	@Override
	public void onConnect(SseClient client) {
		tellEach("connection", client, (listener) -> listener.onConnect(client));
	}

	@Override
	public void onDisconnect(SseClient client, DisconnectReason reason) {
		tellEach("disconnection", client, (listener) -> listener.onDisconnect(client, reason));
	}

	private void tellEach(String what, SseClient client, Consumer<SseClientListener> call) {
		for (SseClientListener listener : listeners()) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn(listener + " failed on the " + what + " of " + client, ex);
			}
		}
	}

	private List<SseClientListener> listeners() {
		List<SseClientListener> listeners = this.listeners;
		if (listeners == null) {
			// Two streams that start together may both look up: the same beans, harmlessly.
			listeners = this.beans.orderedStream().toList();
			this.listeners = listeners;
		}
		return listeners;
	}

}
