package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.TimeUnit;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Only {@code GET} opens a stream. {@code HEAD} gets the stream's headers and no stream,
 * since its body would never be sent; other methods are refused.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.max-clients=1", "sse.broadcast.heartbeat=200ms" })
class SseEndpointMethodTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@AfterEach
	void allClientsGone() {
		await().until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void headRequestsGetTheStreamHeadersButRegisterNoClient() throws Exception {
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> response = send("HEAD");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/event-stream"));
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
			assertThat(response.body()).isEmpty();
		}
		assertThat(this.broadcaster.clientCount()).isZero();
		try (SseTestClient client = SseTestClient.connect(url())) {
			assertThat(client.status()).as("a GET after HEADs, with max-clients=1").isEqualTo(200);
			assertThat(client.isOpen()).isTrue();
		}
	}

	@Test
	void headRequestIsCheckedLikeAStream() throws Exception {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(url() + "?topic=no%20spaces")).HEAD().build());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST", "PUT", "DELETE", "PATCH" })
	void otherMethodsGet405WithTheAllowedOnes(String method) throws Exception {
		HttpResponse<String> response = send(method);
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(
				(allow) -> assertThat(allow.split(",\\s*")).contains("GET", "HEAD"));
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void optionsListsTheAllowedMethods() throws Exception {
		HttpResponse<String> response = send("OPTIONS");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(
				(allow) -> assertThat(allow.split(",\\s*")).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS"));
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	private HttpResponse<String> send(String method) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url()))
			.method(method, BodyPublishers.noBody())
			.build();
		return send(request);
	}

	// A stream that opened by mistake fails the test instead of hanging it.
	private HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.http.sendAsync(request, BodyHandlers.ofString()).get(5, TimeUnit.SECONDS);
	}

	private String url() {
		return "http://127.0.0.1:" + this.port + "/sse";
	}

}
