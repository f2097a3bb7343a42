package dev.ssebroadcast.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Last-Event-ID} header as the browser meant it. {@code EventSource} sends
 * the id as UTF-8 bytes, which a servlet container hands on as ISO-8859-1 characters,
 * one per byte: those bytes are decoded again as UTF-8 when they are valid UTF-8, so
 * that an id such as {@code café-1} finds its event.
 */
final class LastEventIdHeader {

	private LastEventIdHeader() {
	}

	static String decode(String header) {
		boolean nonAscii = false;
		for (int i = 0; i < header.length(); i++) {
			char c = header.charAt(i);
			if (c > 0xFF) {
				// Already decoded beyond ISO-8859-1: not one character per byte.
				return header;
			}
			nonAscii |= (c >= 0x80);
		}
		if (!nonAscii) {
			return header;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.decode(ByteBuffer.wrap(header.getBytes(StandardCharsets.ISO_8859_1)))
				.toString();
		}
		catch (CharacterCodingException ex) {
			// Not UTF-8: the id is what the container read.
			return header;
		}
	}

}
