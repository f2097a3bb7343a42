package dev.ssebroadcast.sample;

import java.io.IOException;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes what is posted, as it came: a {@code text/plain} body, or an
 * {@code application/json} body once checked to be one JSON value, each read in the
 * charset its {@code Content-Type} names (UTF-8 by default). The optional query parameters
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
		String data = this.body.readText(request);
		requireOneJsonValue(data);
		return publish(data, request);
	}

	/**
	 * Check that {@code text} is one JSON value, token by token, without building it:
	 * the text is published as it came, so numbers keep their digits and strings their
	 * escapes. Repeated names in an object are passed on as they are, as JSON's grammar
	 * allows; what they mean is for the receiver to decide ({@code JSON.parse} keeps the
	 * last).
	 */
	private void requireOneJsonValue(String text) {
		try (JsonParser parser = this.json.createParser(text)) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				throw new IllegalArgumentException("The request body is not valid JSON: only whitespace");
			}
			int depth = 0;
			do {
				if (token.isStructStart()) {
					depth++;
				}
				else if (token.isStructEnd()) {
					depth--;
				}
				else if (token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME) {
					// Decodes the string, so that a bad escape is found.
					parser.getString();
				}
			}
			while (depth > 0 && (token = parser.nextToken()) != null);
			if (parser.nextToken() != null) {
				throw new IllegalArgumentException("The request body is not valid JSON: more than one value");
			}
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The request body is not valid JSON: " + ex.getOriginalMessage());
		}
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
