package dev.ssebroadcast.sample;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves {@code /htmx.html}: a posted message is rendered on the server as an HTML
 * fragment and broadcast as a {@code chat} event on the {@code htmx} topic, which htmx's
 * SSE extension swaps into every open page.
 */
@RestController
class HtmxController {

	static final String TOPIC = "htmx";

	static final String EVENT = "chat";

	private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_LOCAL_TIME;

	private final SseBroadcaster broadcaster;

	private final BoundedBody body;

	HtmxController(SseBroadcaster broadcaster, BoundedBody body) {
		this.broadcaster = broadcaster;
		this.body = body;
	}

	// The container parses the form, so its size is checked first and its parameters are
	// read as for /broadcast; a refusal gets a plain text reason (see PlainTextRefusals).
	@PostMapping(path = "/htmx/messages", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<Void> post(HttpServletRequest request) {
		this.body.checkDeclaredSize(request);
		String message = RequestParameters.single(request, "message");
		if (message == null || message.isBlank()) {
			throw new IllegalArgumentException("The message must not be empty");
		}
		this.broadcaster.send(TOPIC, SseEvent.of(fragment(message)).withEvent(EVENT));
		return ResponseEntity.noContent().build();
	}

	// Escaped, so that what a user typed is shown as text and never runs as markup.
	private String fragment(String message) {
		LocalTime now = LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
		return "<li><time>" + TIME.format(now) + "</time>" + HtmlUtils.htmlEscape(message) + "</li>";
	}

}
