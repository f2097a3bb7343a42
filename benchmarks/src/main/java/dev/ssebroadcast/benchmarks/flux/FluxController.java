package dev.ssebroadcast.benchmarks.flux;

import java.time.Duration;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /sse} subscribes to a multicast sink; {@code POST /broadcast} emits the body
 * into it.
 */
@RestController
class FluxController {

	// Without autoCancel=false the sink would terminate when the last client leaves.
	private final Sinks.Many<String> sink = Sinks.many().multicast().onBackpressureBuffer(Queues.SMALL_BUFFER_SIZE, false);

	@GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> stream() {
		// Netty sends the headers with the first element: a comment commits at once.
		Mono<ServerSentEvent<String>> connected = Mono.just(ServerSentEvent.<String>builder().comment("connected").build());
		return Flux.concat(connected, this.sink.asFlux().map((data) -> ServerSentEvent.builder(data).build()));
	}

	@PostMapping(path = "/broadcast", consumes = MediaType.TEXT_PLAIN_VALUE)
	Map<String, Integer> broadcast(@RequestBody String body) {
		int clients = this.sink.currentSubscriberCount();
		this.sink.emitNext(body, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
		return Map.of("clients", clients);
	}

}
