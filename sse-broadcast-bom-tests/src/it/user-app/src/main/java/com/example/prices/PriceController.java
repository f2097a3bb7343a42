package com.example.prices;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PriceController {

	private final SseBroadcaster broadcaster;

	PriceController(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@PostMapping("/prices")
	void publish(@RequestBody Price price) {
		this.broadcaster.send("prices", SseEvent.of(price).withEvent("price"));   // sent as JSON
	}

	record Price(String symbol, double value) {
	}

}
