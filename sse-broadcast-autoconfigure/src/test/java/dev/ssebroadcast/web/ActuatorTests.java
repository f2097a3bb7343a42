package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
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
 * The health indicator, the {@code sse} endpoint and the meters, read over HTTP the way
 * an operator would.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,sse,metrics",
				"management.endpoint.health.show-details=always", "sse.broadcast.heartbeat=200ms" })
class ActuatorTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Test
	void healthIsUpWithTheClientCount() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			JsonNode sse = get("/actuator/health").path("components").path("sse");
			assertThat(sse.path("status").asString()).isEqualTo("UP");
			assertThat(sse.path("details").path("clients").asInt()).isEqualTo(1);
		}
	}

	@Test
	void endpointListsConnectionsAndCounters() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse?topic=b&topic=a"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			this.broadcaster.broadcast("counted");
			client.awaitData("counted");

			JsonNode body = get("/actuator/sse");
			assertThat(body.path("clients").asInt()).isEqualTo(1);
			assertThat(body.path("published").asLong()).isPositive();
			assertThat(body.path("delivered").asLong()).isPositive();
			JsonNode connection = body.path("connections").get(0);
			assertThat(connection.path("id").asLong()).isEqualTo(this.broadcaster.clients().get(0).id());
			assertThat(connection.path("principal").asString()).as("principal of an anonymous client").isEmpty();
			assertThat(connection.path("topics").toString()).isEqualTo("[\"a\",\"b\"]");
			assertThat(connection.path("connectedSince").asString()).isNotEmpty();
			assertThat(connection.path("queued").asInt()).isZero();
			assertThat(connection.path("dropped").asLong()).isZero();
			assertThat(connection.path("overflow").asString()).isEqualTo("DISCONNECT");
		}
	}

	@Test
	void metersAreListedByTheMetricsEndpoint() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			JsonNode clients = get("/actuator/metrics/sse.clients");
			assertThat(clients.path("measurements").get(0).path("value").asDouble()).isEqualTo(1.0);
			assertThat(get("/actuator/metrics").path("names").toString()).contains("sse.events.published",
					"sse.events.delivered", "sse.events.dropped", "sse.clients.disconnected", "sse.delivery.lag",
					"sse.client.queue.high.water");
		}
	}

	@Test
	void streamsAreLeftOutOfRequestObservations() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			this.broadcaster.disconnectAll();
			client.awaitEnd();
		}
		get("/actuator/health");
		await("health request to be recorded")
			.until(() -> status("/actuator/metrics/http.server.requests?tag=uri:/actuator/health") == 200);
		assertThat(status("/actuator/metrics/http.server.requests?tag=uri:/sse")).as("stream requests recorded")
			.isEqualTo(404);
	}

	private int status(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), BodyHandlers.discarding())
			.statusCode();
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).as("status of %s", path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
