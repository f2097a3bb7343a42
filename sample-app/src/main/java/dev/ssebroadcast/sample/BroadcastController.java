package dev.ssebroadcast.sample;

import java.io.IOException;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes what is posted: a {@code text/plain} body as it is, an
 * {@code application/json} body as JSON data. The optional query parameters
 * {@code topic}, {@code event} and {@code id}, each given at most once, choose the
 * recipients, the event name and the event id.
 * <p>
 * The body and the parameters are read here rather than bound by Spring MVC, so that a
 * body too large for an event is refused before it is read (see
 * {@link BoundedBody}) and every refusal has a plain text reason.
 */
@RestController
class BroadcastController {

	private final SseBroadcaster broadcaster;

	private final BoundedBody body;

	private final JsonMapper json;

	BroadcastController(SseBroadcaster broadcaster, BoundedBody body, JsonMapper json) {
		this.broadcaster = broadcaster;
		this.body = body;
		this.json = json;
	}

	@PostMapping(path = "/broadcast", consumes = MediaType.TEXT_PLAIN_VALUE)
	BroadcastResult broadcastText(HttpServletRequest request) throws IOException {
		return publish(this.body.readText(request), request);
	}

	@PostMapping(path = "/broadcast", consumes = MediaType.APPLICATION_JSON_VALUE)
	BroadcastResult broadcastJson(HttpServletRequest request) throws IOException {
		JsonNode data;
		try {
			data = this.json.readTree(this.body.read(request));
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The request body is not valid JSON: " + ex.getOriginalMessage());
		}
		if (data.isMissingNode()) {
			throw new IllegalArgumentException("The request body is not valid JSON: only whitespace");
		}
		return publish(data, request);
	}

	private BroadcastResult publish(Object data, HttpServletRequest request) {
		String topic = RequestParameters.single(request, "topic");
		String eventName = RequestParameters.single(request, "event");
		String id = RequestParameters.single(request, "id");
		SseEvent event = SseEvent.of(data);
		if (eventName != null) {
			event = event.withEvent(eventName);
		}
		if (id != null) {
			event = event.withId(id);
		}
		int clients = (topic != null) ? this.broadcaster.send(topic, event) : this.broadcaster.broadcast(event);
		return new BroadcastResult(clients);
	}

	record BroadcastResult(int clients) {
	}

}
