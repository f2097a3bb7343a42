package dev.ssebroadcast.sample;

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

import dev.ssebroadcast.redis.BlackHole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the {@code redis} profile as it ships, {@code /actuator/health} answers within
 * about two seconds when Redis accepts connections and never answers: the profile bounds
 * what Spring Boot's own Redis indicator waits for.
 */
class RedisProfileHealthTests {

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
	void healthAnswersWithinTwoSecondsWhenRedisNeverAnswers() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("redis")
			.run("--server.port=0", "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + blackHole.port())) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient http = HttpClient.newHttpClient();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
				.timeout(Duration.ofSeconds(30))
				.build();
			List<Duration> took = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				long started = System.nanoTime();
				HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
				took.add(Duration.ofNanos(System.nanoTime() - started));

				assertThat(response.statusCode()).isEqualTo(503);
			}
			// Each answer bounded far below the 60s default; the quickest, free of the load
			// that other builds put on the machine, within two seconds.
			assertThat(took).as("times to answer").allSatisfy((time) -> assertThat(time).isLessThan(Duration.ofSeconds(5)));
			assertThat(Collections.min(took)).as("quickest time to answer of %s", took).isLessThan(Duration.ofSeconds(2));
		}
		assertThat(blackHole.accepted()).as("connections the black hole accepted").isPositive();
	}

}
