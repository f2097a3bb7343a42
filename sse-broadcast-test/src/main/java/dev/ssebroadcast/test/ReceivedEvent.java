package dev.ssebroadcast.test;

import org.jspecify.annotations.Nullable;

/**
 * One event as a {@link SseTestClient} received and parsed it. Fields mirror those of
 * the event that was sent, so the two compare easily in assertions.
 *
 * @param data the data, its lines joined with {@code \n}
 * @param event the event name, or {@code null} if the event had none
 * @param id the event id, or {@code null} if the event had none
 */
public record ReceivedEvent(String data, @Nullable String event, @Nullable String id) {

	/**
	 * An unnamed event without an id.
	 * @param data the data
	 * @return the event
	 */
	public static ReceivedEvent of(String data) {
		return new ReceivedEvent(data, null, null);
	}

}
