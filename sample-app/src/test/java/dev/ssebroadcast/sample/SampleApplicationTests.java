package dev.ssebroadcast.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's public URLs: {@code GET /sse} streams and {@code POST /broadcast}
 * publishes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.broadcast.heartbeat=200ms")
class SampleApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@AfterEach
	void allClientsGone() {
		await("clients to be gone").atMost(Duration.ofSeconds(10)).until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void postedBodyReachesEveryStream() throws Exception {
		try (SseTestClient first = SseTestClient.connect(url("/sse"));
				SseTestClient second = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 2);

			HttpResponse<String> response = post("hello\nworld");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("{\"clients\":2}");
			assertThat(first.awaitData("hello\nworld")).containsExactly("hello\nworld");
			assertThat(second.awaitData("hello\nworld")).containsExactly("hello\nworld");
		}
	}

	@Test
	void emptyBodyIsRejectedWithAReason() throws Exception {
		HttpResponse<String> response = post("");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("The request body must not be empty");
	}

	@Test
	void topicEventNameAndIdComeFromQueryParameters() throws Exception {
		try (SseTestClient onOrders = SseTestClient.connect(url("/sse?topic=orders"));
				SseTestClient everyone = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 2);

			HttpResponse<String> response = post("/broadcast?topic=orders&event=created&id=o-1", "text/plain",
					"order 1");
			post("/broadcast", "text/plain", "to all");

			assertThat(response.body()).isEqualTo("{\"clients\":1}");
			await().atMost(Duration.ofSeconds(5)).until(() -> onOrders.events().size() == 2);
			assertThat(onOrders.events().get(0)).isEqualTo(new ReceivedEvent("order 1", "created", "o-1"));
			await().atMost(Duration.ofSeconds(5)).until(() -> everyone.data().contains("to all"));
			assertThat(everyone.data()).containsExactly("to all");
		}
	}

	@Test
	void jsonBodyIsSentAsJsonData() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			HttpResponse<String> response = post("/broadcast", "application/json", "{ \"price\": 42.5, \"tags\": [\"a\"] }");
			assertThat(response.statusCode()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(5)).until(() -> client.events().size() == 1);
			assertThat(client.data()).containsExactly("{\"price\":42.5,\"tags\":[\"a\"]}");
		}
	}

	@Test
	void badParametersAreRejectedWithAReason() throws Exception {
		HttpResponse<String> badTopic = post("/broadcast?topic=no%20spaces", "text/plain", "x");
		assertThat(badTopic.statusCode()).isEqualTo(400);
		assertThat(badTopic.body()).startsWith("Invalid topic 'no spaces'");

		HttpResponse<String> badEvent = post("/broadcast?event=a%0Adata:%20injected", "text/plain", "x");
		assertThat(badEvent.statusCode()).isEqualTo(400);
		assertThat(badEvent.body()).startsWith("event must not contain CR or LF");

		HttpResponse<String> badJson = post("/broadcast", "application/json", "{ not json");
		assertThat(badJson.statusCode()).isEqualTo(400);
	}

	@Test
	void actuatorShowsHealthConnectionsAndPrometheusMetrics() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse?topic=orders"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			JsonNode sseHealth = JsonMapper.builder().build().readTree(get("/actuator/health")).path("components").path("sse");
			assertThat(sseHealth.path("status").asString()).isEqualTo("UP");
			assertThat(sseHealth.path("details").path("clients").asInt()).isEqualTo(1);
			assertThat(get("/actuator/sse")).contains("\"topics\":[\"orders\"]");
			assertThat(get("/actuator/prometheus")).contains("sse_clients 1.0", "sse_events_published_total",
					"sse_delivery_lag_seconds");
		}
	}

	@Test
	void pageConnectsWithEventSource() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(url("/"))).build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("new EventSource('/sse'")
			.contains("fetch('/broadcast'")
			.contains("lastEventId")
			.contains("sse-reset");
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).as("status of %s", path).isEqualTo(200);
		return response.body();
	}

	private HttpResponse<String> post(String body) throws Exception {
		return post("/broadcast", "text/plain", body);
	}

	private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", contentType)
			.POST(BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, BodyHandlers.ofString());
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
