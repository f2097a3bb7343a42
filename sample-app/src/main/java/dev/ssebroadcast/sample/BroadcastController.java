package dev.ssebroadcast.sample;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.relay.SseRelayException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes what is posted: a {@code text/plain} body as it is, an
 * {@code application/json} body as JSON data. The optional query parameters
 * {@code topic}, {@code event} and {@code id} choose the recipients, the event name and
 * the event id.
 */
@RestController
class BroadcastController {

	private final SseBroadcaster broadcaster;

	BroadcastController(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@PostMapping(path = "/broadcast", consumes = MediaType.TEXT_PLAIN_VALUE)
	BroadcastResult broadcastText(@RequestBody(required = false) @Nullable String body,
			@RequestParam(required = false) @Nullable String topic, @RequestParam(required = false) @Nullable String event,
			@RequestParam(required = false) @Nullable String id) {
		if (body == null || body.isEmpty()) {
			throw new IllegalArgumentException("The request body must not be empty");
		}
		return publish(body, topic, event, id);
	}

	@PostMapping(path = "/broadcast", consumes = MediaType.APPLICATION_JSON_VALUE)
	BroadcastResult broadcastJson(@RequestBody JsonNode body, @RequestParam(required = false) @Nullable String topic,
			@RequestParam(required = false) @Nullable String event, @RequestParam(required = false) @Nullable String id) {
		return publish(body, topic, event, id);
	}

	@ExceptionHandler
	ResponseEntity<String> badRequest(IllegalArgumentException ex) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.TEXT_PLAIN).body(ex.getMessage());
	}

	/** The event could not be handed to the instances' shared relay (Redis): not sent. */
	@ExceptionHandler
	ResponseEntity<String> relayUnavailable(SseRelayException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.body(ex.getMessage());
	}

	private BroadcastResult publish(Object data, @Nullable String topic, @Nullable String eventName,
			@Nullable String id) {
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
