package dev.ssebroadcast.web;

import java.io.IOException;
import java.time.Duration;

import dev.ssebroadcast.relay.SseRelayException;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Answers {@code 503 Service Unavailable} with {@code Retry-After} when a controller lets
 * an {@link SseRelayException} escape: the relay that shares events between instances is
 * unreachable, which the client can do nothing about but wait. Without it, such a publish
 * would answer {@code 500}.
 * <p>
 * With Problem Details the answer is a {@link ProblemDetail} whose detail does not repeat
 * the exception's message, which names the relay's address. Otherwise it goes through the
 * application's error handling ({@code sendError}), which shows the message only where
 * {@code spring.web.error.include-message} allows it.
 * <p>
 * Ordered last, so that any {@code @ExceptionHandler} of the application that matches
 * the exception answers instead.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public final class SseRelayExceptionHandler {

	/** As long as the endpoint asks a refused client to wait. */
	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	static final String DETAIL = "Events cannot be published for now: the relay that shares them between instances "
			+ "is unavailable.";

	private final boolean problemDetails;

	/**
	 * Create a handler.
	 * @param problemDetails whether to answer with a Problem Details body (RFC 9457), as
	 * when {@code spring.mvc.problemdetails.enabled} is set
	 */
	public SseRelayExceptionHandler(boolean problemDetails) {
		this.problemDetails = problemDetails;
	}

	@ExceptionHandler
	@Nullable ResponseEntity<ProblemDetail> relayUnavailable(SseRelayException ex, HttpServletResponse response)
			throws IOException {
		String retryAfter = Long.toString(RETRY_AFTER.toSeconds());
		if (this.problemDetails) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, retryAfter)
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DETAIL));
		}
		response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter);
		response.sendError(HttpStatus.SERVICE_UNAVAILABLE.value(), ex.getMessage());
		return null;
	}

}
