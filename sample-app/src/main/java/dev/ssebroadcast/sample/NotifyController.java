package dev.ssebroadcast.sample;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.sample.BroadcastController.BroadcastResult;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * In the {@code secure} profile, sends a notification to every open tab of one user.
 */
@RestController
@Profile("secure")
class NotifyController {

	private final SseBroadcaster broadcaster;

	NotifyController(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@PostMapping(path = "/notify/{user}", consumes = MediaType.TEXT_PLAIN_VALUE)
	BroadcastResult notify(@PathVariable String user, @RequestBody String message) {
		return new BroadcastResult(this.broadcaster.sendToUser(user, SseEvent.of(message).withEvent("notification")));
	}

}
