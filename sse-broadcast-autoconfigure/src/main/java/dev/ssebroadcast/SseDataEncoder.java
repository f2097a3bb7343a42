package dev.ssebroadcast;

/**
 * Turns event data that is not a {@link String} into text, for example JSON.
 * <p>
 * A broadcaster built by hand uses {@link #TEXT_ONLY} unless given another. The
 * auto-configured broadcaster writes JSON with the application's Jackson
 * {@code JsonMapper} when there is one, and is text-only otherwise; define a bean of
 * this type to replace either.
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
