package dev.ssebroadcast.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.redis.RedisServer;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample instances with the {@code redis} profile on one {@code redis-server} act as
 * one broadcaster; when Redis is down, publishing answers 503 and health says why.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.heartbeat=200ms", "sse.broadcast.redis.publish-timeout=500ms",
				"sse.broadcast.redis.reader.block-timeout=200ms", "sse.broadcast.redis.reader.backoff.max=200ms" })
@ActiveProfiles("redis")
class RedisProfileTests {

	private static final RedisServer redis = RedisServer.start();

	private static ConfigurableApplicationContext other;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@DynamicPropertySource
	static void redisAddress(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", redis::port);
	}

	@BeforeAll
	static void startOtherInstance() {
		// Arguments, not default properties: application-redis.yml would win over those.
		other = new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
					"--sse.broadcast.heartbeat=200ms", "--sse.broadcast.redis.publish-timeout=500ms",
					"--sse.broadcast.redis.reader.block-timeout=200ms", "--sse.broadcast.redis.reader.backoff.max=200ms");
	}

	@AfterAll
	static void stopOtherInstanceAndRedis() {
		other.close();
		redis.close();
	}

	@AfterEach
	void allClientsGone() {
		await("clients to be gone").atMost(Duration.ofSeconds(10))
			.until(() -> this.broadcaster.clientCount() == 0 && other.getBean(SseBroadcaster.class).clientCount() == 0);
	}

	@Test
	void twoInstancesActAsOneBroadcaster() throws Exception {
		try (SseTestClient here = SseTestClient.connect(url(this.port, "/sse"));
				SseTestClient there = SseTestClient.connect(url(otherPort(), "/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 1 && other.getBean(SseBroadcaster.class).clientCount() == 1);

			assertThat(post(this.port, "one").body()).isEqualTo("{\"clients\":1}");
			post(otherPort(), "two");

			assertThat(here.awaitData("one", "two")).containsExactly("one", "two");
			assertThat(there.awaitData("one", "two")).containsExactly("one", "two");
			assertThat(here.events()).as("the same ids on both").containsExactlyElementsOf(there.events());
			String lastSeen = there.events().get(0).id();
			there.close();

			try (SseTestClient resumed = SseTestClient.connect(url(this.port, "/sse"),
					Map.of("Last-Event-ID", lastSeen), SseTestClient.DEFAULT_TIMEOUT)) {
				assertThat(resumed.awaitEvents(1)).containsExactly(here.events().get(1));
			}
		}
	}

	@Test
	void redisDownAnswers503WithTheReasonAndHealthShowsTheRelayDown() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url(this.port, "/sse"))) {
			redis.kill();
			try {
				HttpResponse<String> response = post(this.port, "lost?");
				assertThat(response.statusCode()).isEqualTo(503);
				assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
				JsonNode error = JsonMapper.builder().build().readTree(response.body());
				assertThat(error.path("message").asString()).as(response.body())
					.startsWith("Redis is unreachable at 127.0.0.1:" + redis.port());

				HttpResponse<String> health = get("/actuator/health");
				assertThat(health.statusCode()).isEqualTo(503);
				JsonNode relay = JsonMapper.builder().build().readTree(health.body()).path("components").path("sseRelay");
				assertThat(relay.path("status").asString()).isEqualTo("DOWN");
				assertThat(client.isOpen()).as("the stream stays open").isTrue();
			}
			finally {
				redis.restart();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> post(this.port, "back").statusCode() == 200);
			assertThat(client.awaitData("back")).doesNotContain("lost?");
			assertThat(client.events()).extracting(ReceivedEvent::event).contains(SseBroadcaster.RESET_EVENT);
		}
	}

	private int otherPort() {
		return ((WebServerApplicationContext) other).getWebServer().getPort();
	}

	private HttpResponse<String> post(int port, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url(port, "/broadcast")))
			.header("Content-Type", "text/plain")
			.POST(BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url(this.port, path))).build(), BodyHandlers.ofString());
	}

	private static String url(int port, String path) {
		return "http://127.0.0.1:" + port + path;
	}

}
