package com.example.prices;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;

import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/testing.md's recipe: sse-broadcast-redis is on the class path, no Redis runs, and
 * one property turns the relay off.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.broadcast.redis.enabled=false")
class PriceStreamTests {

	@LocalServerPort
	int port;

	@Test
	void pricesReachTheBrowserWithoutRedis() throws Exception {
		try (SseTestClient client = SseTestClient.connect("http://localhost:" + this.port + "/sse?topic=prices");
				HttpClient http = HttpClient.newHttpClient()) {
			int status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/prices"))
				.header("Content-Type", "application/json")
				.POST(BodyPublishers.ofString("{\"symbol\":\"ACME\",\"value\":42.5}"))
				.build(), BodyHandlers.discarding()).statusCode();

			assertThat(status).isEqualTo(200);
			ReceivedEvent price = client.awaitEvents(1).get(0);
			assertThat(price.data()).isEqualTo("{\"symbol\":\"ACME\",\"value\":42.5}");
			assertThat(price.event()).isEqualTo("price");
		}
	}

}
