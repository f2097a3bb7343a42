package dev.ssebroadcast.sample;

import dev.ssebroadcast.SseBroadcaster;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Publishes what is posted to every connected browser.
 */
@RestController
class BroadcastController {

	private final SseBroadcaster broadcaster;

	BroadcastController(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@PostMapping(path = "/broadcast", consumes = MediaType.TEXT_PLAIN_VALUE)
	BroadcastResult broadcast(@RequestBody(required = false) String body) {
		if (body == null || body.isEmpty()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The request body must not be empty");
		}
		return new BroadcastResult(this.broadcaster.broadcast(body));
	}

	record BroadcastResult(int clients) {
	}

}
