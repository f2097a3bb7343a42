package dev.ssebroadcast.sample;

import dev.ssebroadcast.relay.SseRelayException;
import dev.ssebroadcast.sample.BoundedBody.TooLargeException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Refuses a bad publishing request with its reason as plain text: {@code 400} for a bad
 * parameter or body, {@code 413} for a body too large, {@code 503} when the event could
 * not be handed to the instances' shared relay (Redis) and so was not sent.
 */
@RestControllerAdvice(assignableTypes = { BroadcastController.class, NotifyController.class, HtmxController.class })
class PlainTextRefusals {

	@ExceptionHandler
	ResponseEntity<String> badRequest(IllegalArgumentException ex) {
		return plainText(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<String> tooLarge(TooLargeException ex) {
		return plainText(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<String> relayUnavailable(SseRelayException ex) {
		return plainText(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

	private static ResponseEntity<String> plainText(HttpStatus status, @Nullable String reason) {
		return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(reason);
	}

}
