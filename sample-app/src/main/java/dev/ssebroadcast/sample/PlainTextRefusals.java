package dev.ssebroadcast.sample;

import dev.ssebroadcast.sample.BoundedBody.TooLargeException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Refuses a bad publishing request with its reason as plain text: {@code 400} for a bad
 * parameter or body, {@code 413} for a body too large. When the instances' shared relay
 * (Redis) is unreachable, the starter answers {@code 503} with {@code Retry-After}.
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

	private static ResponseEntity<String> plainText(HttpStatus status, @Nullable String reason) {
		return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(reason);
	}

}
