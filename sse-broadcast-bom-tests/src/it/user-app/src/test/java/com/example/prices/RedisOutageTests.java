package com.example.prices;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the Redis relay on and Redis unreachable, the application's own controller answers
 * 503 with Retry-After although it has no exception handler.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.host=127.0.0.1", "sse.broadcast.redis.publish-timeout=500ms" })
class RedisOutageTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void closedRedisPort(DynamicPropertyRegistry registry) throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int closed = socket.getLocalPort();
			registry.add("spring.data.redis.port", () -> closed);
		}
	}

	@Test
	void publishingDuringARedisOutageAnswers503WithRetryAfter() throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/prices"))
						.header("Content-Type", "application/json")
						.POST(BodyPublishers.ofString("{\"symbol\":\"ACME\",\"value\":42.5}"))
						.build(),
					BodyHandlers.ofString());

			assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
		}
	}

}
