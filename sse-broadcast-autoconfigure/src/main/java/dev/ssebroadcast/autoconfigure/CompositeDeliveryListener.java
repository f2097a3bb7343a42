package dev.ssebroadcast.autoconfigure;

import java.util.List;

import dev.ssebroadcast.SseDeliveryListener;

/**
 * Tells every {@link SseDeliveryListener} bean, in order, so that one of the
 * application's does not replace another's, nor the delivery lag timer.
 */
final class CompositeDeliveryListener implements SseDeliveryListener {

	private final SseDeliveryListener[] listeners;

	CompositeDeliveryListener(List<SseDeliveryListener> listeners) {
		this.listeners = listeners.toArray(SseDeliveryListener[]::new);
	}

	@Override
	public void delivered(long lagNanos) {
		// Called for every event and client: a plain loop allocates nothing.
		for (SseDeliveryListener listener : this.listeners) {
			listener.delivered(lagNanos);
		}
	}

}
