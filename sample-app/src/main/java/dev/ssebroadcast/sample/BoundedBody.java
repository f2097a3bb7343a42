package dev.ssebroadcast.sample;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.ssebroadcast.autoconfigure.SseBroadcastProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Reads a request body no larger than {@code sse.broadcast.max-event-size}, since it
 * becomes an event, without ever holding more than that: a body declared larger is
 * refused before any of it is read, and one sent without a length, in chunks, as soon
 * as it passes the limit.
 */
@Component
final class BoundedBody {

	private final long maxBytes;

	BoundedBody(SseBroadcastProperties properties) {
		this.maxBytes = properties.getMaxEventSize().toBytes();
	}

	/**
	 * Read the body of {@code request}.
	 * @return the whole body, not empty
	 * @throws TooLargeException if it is larger than allowed
	 * @throws IllegalArgumentException if it is empty
	 * @throws IOException if it cannot be read
	 */
	byte[] read(HttpServletRequest request) throws IOException {
		checkDeclaredSize(request);
		// One byte more than allowed is enough to know the body is too large.
		byte[] body = request.getInputStream().readNBytes((int) Math.min(this.maxBytes + 1, Integer.MAX_VALUE - 8));
		if (body.length > this.maxBytes) {
			throw new TooLargeException(this.maxBytes);
		}
		if (body.length == 0) {
			throw new IllegalArgumentException("The request body must not be empty");
		}
		return body;
	}

	/**
	 * Refuse a body whose declared length is larger than allowed, before any of it is
	 * read: by this application, or by the container parsing a form.
	 * @throws TooLargeException if it is larger than allowed
	 */
	void checkDeclaredSize(HttpServletRequest request) {
		if (request.getContentLengthLong() > this.maxBytes) {
			throw new TooLargeException(this.maxBytes);
		}
	}

	/**
	 * Read the body of {@code request} as text, in the charset its {@code Content-Type}
	 * names, UTF-8 otherwise. The header is read as sent: the request's own character
	 * encoding is UTF-8 whatever it says, since Spring Boot forces it.
	 * @throws IllegalArgumentException if the body is not text in that charset
	 * @see #read(HttpServletRequest)
	 */
	String readText(HttpServletRequest request) throws IOException {
		Charset charset = charset(request.getHeader(HttpHeaders.CONTENT_TYPE));
		byte[] body = read(request);
		try {
			return charset.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("The request body is not valid " + charset.name() + " text");
		}
	}

	/**
	 * The charset {@code contentType} names: Spring MVC has parsed it to match the
	 * handler, and refused one that names an unknown charset with {@code 415}.
	 */
	private static Charset charset(@Nullable String contentType) {
		Charset charset = (contentType != null) ? MediaType.parseMediaType(contentType).getCharset() : null;
		return (charset != null) ? charset : StandardCharsets.UTF_8;
	}

	/**
	 * A body larger than allowed, refused with {@code 413 Content Too Large}.
	 */
	static final class TooLargeException extends RuntimeException {

		TooLargeException(long maxBytes) {
			super("The request body is larger than the " + maxBytes + " bytes allowed (sse.broadcast.max-event-size)",
					null, false, false);
		}

	}

}
