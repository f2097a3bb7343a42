package dev.ssebroadcast.redis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health answers within about two seconds when Redis accepts connections and never
 * answers: the relay's indicator at once, from its current state; Spring Boot's own Redis
 * indicator within twice {@code spring.data.redis.timeout} (the connection's handshake,
 * then its command).
 */
class HealthTests {

	private static BlackHole blackHole;

	@BeforeAll
	static void openBlackHole() {
		blackHole = BlackHole.open();
	}

	@AfterAll
	static void closeBlackHole() throws IOException {
		blackHole.close();
	}

	@Test
	void healthAnswersWithinTwoSecondsWhenRedisAcceptsAndNeverAnswers() throws Exception {
		try (Instance instance = Instance.start(blackHole, "spring.data.redis.timeout=1s",
				"spring.data.redis.connect-timeout=1s")) {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/actuator/health"))
				.timeout(Duration.ofSeconds(10))
				.build();
			for (int i = 0; i < 3; i++) {
				long started = System.nanoTime();
				HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
				Duration took = Duration.ofNanos(System.nanoTime() - started);

				assertThat(took).as("time to answer %s", response.body()).isLessThan(Duration.ofMillis(2500));
				assertThat(response.statusCode()).isEqualTo(503);
				assertThat(response.body()).contains("\"sseRelay\":{\"status\":\"DOWN\"");
			}
		}
		assertThat(blackHole.accepted()).as("connections the black hole accepted").isPositive();
	}

	@Test
	void relayIndicatorAnswersAtOnceWhileItsReaderWaitsForRedis() throws Exception {
		try (Instance instance = Instance.start(blackHole, "spring.data.redis.timeout=1s",
				"spring.data.redis.connect-timeout=1s")) {
			for (int i = 0; i < 5; i++) {
				long started = System.nanoTime();
				instance.relayHealth();
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
			}
		}
	}


}
