package dev.ssebroadcast;

/**
 * Turns event data that is not a {@link String} into text, for example JSON. Define a
 * bean of this type to replace the default, which uses the application's JSON mapper.
 */
@FunctionalInterface
public interface SseDataEncoder {

	/**
	 * Encode {@code data}. Called once per event on the publishing thread, whatever the
	 * number of clients.
	 * @param data the event's data, never a {@code String}
	 * @return its text, on one or several lines
	 * @throws IllegalArgumentException if {@code data} cannot be encoded
	 */
	String encode(Object data);

	/**
	 * An encoder for applications that only send text: it rejects anything else.
	 */
	SseDataEncoder TEXT_ONLY = (data) -> {
		throw new IllegalArgumentException("No SseDataEncoder for data of type " + data.getClass().getName()
				+ ": send a String, or define an SseDataEncoder bean");
	};

}
