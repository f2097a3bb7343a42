package dev.ssebroadcast.benchmarks.emitter;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /sse} opens an emitter; {@code POST /broadcast} sends the body to every
 * emitter on the publishing thread, one after the other.
 */
@RestController
class EmitterController {

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	@GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() throws IOException {
		SseEmitter emitter = new SseEmitter(0L);
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onError((ex) -> this.emitters.remove(emitter));
		this.emitters.add(emitter);
		// Commits the response at once, as the other servers do.
		emitter.send(SseEmitter.event().comment("connected"));
		return emitter;
	}

	@PostMapping(path = "/broadcast", consumes = MediaType.TEXT_PLAIN_VALUE)
	Map<String, Integer> broadcast(@RequestBody String body) {
		int sent = 0;
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(body);
				sent++;
			}
			catch (IOException | IllegalStateException ex) {
				this.emitters.remove(emitter);
			}
		}
		return Map.of("clients", sent);
	}

}
