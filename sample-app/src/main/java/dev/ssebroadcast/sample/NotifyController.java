package dev.ssebroadcast.sample;

import java.io.IOException;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.sample.BroadcastController.BroadcastResult;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * In the {@code secure} profile, sends a notification to every open tab of one user.
 */
@RestController
@Profile("secure")
class NotifyController {

	private final SseBroadcaster broadcaster;

	private final BoundedBody body;

	NotifyController(SseBroadcaster broadcaster, BoundedBody body) {
		this.broadcaster = broadcaster;
		this.body = body;
	}

	@PostMapping(path = "/notify/{user}", consumes = MediaType.TEXT_PLAIN_VALUE)
	BroadcastResult notify(@PathVariable String user, HttpServletRequest request) throws IOException {
		SseEvent notification = SseEvent.of(this.body.readText(request)).withEvent("notification");
		return new BroadcastResult(this.broadcaster.sendToUser(user, notification));
	}

}
