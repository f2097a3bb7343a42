package dev.ssebroadcast.redis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;


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
		try (Instance instance = Instance.start(blackHole, "spring.data.redis.timeout=500ms",
				"spring.data.redis.connect-timeout=500ms")) {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/actuator/health"))
				.timeout(Duration.ofSeconds(10))
				.build();
			List<Duration> took = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				long started = System.nanoTime();
				HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
				took.add(Duration.ofNanos(System.nanoTime() - started));

				assertThat(response.statusCode()).isEqualTo(503);
				assertThat(JsonMapper.builder().build().readTree(response.body()).at("/components/sseRelay/status").asString())
					.as(response.body())
					.isEqualTo("DOWN");
			}
			// Each answer bounded far below the 60s default; the quickest, free of the load
			// that other builds put on the machine, within two seconds.
			assertThat(took).as("times to answer").allSatisfy((time) -> assertThat(time).isLessThan(Duration.ofSeconds(5)));
			assertThat(Collections.min(took)).as("quickest time to answer of %s", took).isLessThan(Duration.ofSeconds(2));
		}
		assertThat(blackHole.accepted()).as("connections the black hole accepted").isPositive();
	}

	@Test
	void relayIndicatorAnswersAtOnceWhileItsReaderWaitsForRedis() throws Exception {
		try (Instance instance = Instance.start(blackHole, "spring.data.redis.timeout=500ms",
				"spring.data.redis.connect-timeout=500ms")) {
			for (int i = 0; i < 5; i++) {
				long started = System.nanoTime();
				instance.relayHealth();
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
			}
		}
	}


}
