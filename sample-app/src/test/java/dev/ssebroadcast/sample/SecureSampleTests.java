package dev.ssebroadcast.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code secure} profile over real HTTP: Spring Security in front of the stream.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.broadcast.heartbeat=200ms")
@ActiveProfiles("secure")
class SecureSampleTests {

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
	void unauthenticatedStreamGets401() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/sse")));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Basic"));
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void authenticatedStreamFlowsThroughSecurityWithoutASession() throws Exception {
		HttpResponse<java.io.InputStream> response = this.http.send(
				HttpRequest.newBuilder(uri("/sse")).header("Authorization", basic("alice")).build(),
				BodyHandlers.ofInputStream());
		try (java.io.InputStream body = response.body()) {
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Set-Cookie")).as("session cookie").isEmpty();
		}
		try (SseTestClient alice = connectAs("alice", "/sse")) {
			await().until(() -> this.broadcaster.clientCount() >= 1);
			this.broadcaster.broadcast("through the filters");
			alice.awaitData("through the filters");
			assertThat(alice.isOpen()).isTrue();
			assertThat(this.broadcaster.clients()).extracting((client) -> client.user()).contains("alice");
		}
	}

	@Test
	void notificationReachesEveryTabOfThatUserOnly() throws Exception {
		try (SseTestClient aliceTab1 = connectAs("alice", "/sse");
				SseTestClient aliceTab2 = connectAs("alice", "/sse");
				SseTestClient bob = connectAs("bob", "/sse")) {
			await().until(() -> this.broadcaster.clientCount() == 3);

			HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/notify/alice"))
				.header("Authorization", basic("admin"))
				.header("Content-Type", "text/plain")
				.POST(BodyPublishers.ofString("your report is ready")));
			this.broadcaster.broadcast("for everyone");

			assertThat(response.body()).isEqualTo("{\"clients\":2}");
			for (SseTestClient tab : new SseTestClient[] { aliceTab1, aliceTab2 }) {
				assertThat(tab.awaitEvents(2)).extracting(ReceivedEvent::data)
					.containsExactly("your report is ready", "for everyone");
				assertThat(tab.events().get(0).event()).isEqualTo("notification");
			}
			assertThat(bob.awaitData("for everyone")).containsExactly("for everyone");
		}
	}

	@Test
	void onlyAdminsMayNotify() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/notify/bob"))
			.header("Authorization", basic("alice"))
			.header("Content-Type", "text/plain")
			.POST(BodyPublishers.ofString("hi")));
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void adminTopicIsRefusedToUsersByTheSubscriptionInterceptor() throws Exception {
		HttpResponse<String> refused = send(
				HttpRequest.newBuilder(uri("/sse?topic=admin")).header("Authorization", basic("alice")));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).isEqualTo("Subscription refused");

		try (SseTestClient admin = connectAs("admin", "/sse?topic=admin")) {
			assertThat(admin.status()).isEqualTo(200);
			await().until(() -> this.broadcaster.clientCount() == 1);
			this.broadcaster.send("admin", "admins only");
			admin.awaitData("admins only");
		}
	}

	@Test
	void actuatorHealthIsPublicAndTheSseEndpointIsForAdmins() throws Exception {
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/health"))).statusCode()).isEqualTo(200);
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/sse")).header("Authorization", basic("alice")))
			.statusCode()).isEqualTo(403);
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/sse")).header("Authorization", basic("admin")))
			.statusCode()).isEqualTo(200);
	}

	@Test
	void onlyPublishersMayBroadcastToAnyTopicOrAsAnyEvent() throws Exception {
		for (String path : List.of("/broadcast", "/broadcast?topic=admin", "/broadcast?event=notification")) {
			assertThat(publish(path, null).statusCode()).as("anonymous %s", path).isEqualTo(401);
			assertThat(publish(path, "alice").statusCode()).as("alice %s", path).isEqualTo(403);
			assertThat(publish(path, "admin").statusCode()).as("admin %s", path).isEqualTo(200);
		}
	}

	@Test
	void healthDetailsAreShownToAdminsOnly() throws Exception {
		try (SseTestClient alice = connectAs("alice", "/sse")) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/actuator/health")));
			HttpResponse<String> user = send(
					HttpRequest.newBuilder(uri("/actuator/health")).header("Authorization", basic("alice")));
			HttpResponse<String> admin = send(
					HttpRequest.newBuilder(uri("/actuator/health")).header("Authorization", basic("admin")));

			assertThat(anonymous.statusCode()).isEqualTo(200);
			for (HttpResponse<String> withoutDetails : List.of(anonymous, user)) {
				assertThat(withoutDetails.body()).contains("\"status\":\"UP\"")
					.doesNotContain("components", "clients", "diskSpace");
			}
			assertThat(admin.body()).contains("\"sse\"", "\"clients\":1", "diskSpace");
		}
	}

	private HttpResponse<String> publish(String path, @Nullable String user) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "text/plain")
			.POST(BodyPublishers.ofString("fake"));
		if (user != null) {
			request.header("Authorization", basic(user));
		}
		return send(request);
	}

	private SseTestClient connectAs(String user, String path) {
		return SseTestClient.connect(uri(path).toString(), Map.of("Authorization", basic(user)),
				SseTestClient.DEFAULT_TIMEOUT);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
