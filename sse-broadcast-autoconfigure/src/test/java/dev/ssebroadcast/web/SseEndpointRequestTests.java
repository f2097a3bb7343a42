package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * What the endpoint answers to each kind of request. Only {@code GET} opens a stream:
 * {@code HEAD} gets the stream's headers and no stream, since its body would never be
 * sent, and other methods are refused. Query parameters are taken exactly as sent, and a
 * query string that cannot be read is a bad request, not a server error.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.max-clients=1", "sse.broadcast.max-topics-per-client=2",
				"sse.broadcast.heartbeat=200ms" })
class SseEndpointRequestTests {

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
			HttpResponse<String> response = send("HEAD", "/sse");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/event-stream"));
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
			assertThat(response.body()).isEmpty();
		}
		assertThat(this.broadcaster.clientCount()).isZero();
		try (SseTestClient client = SseTestClient.connect(url("/sse"))) {
			assertThat(client.status()).as("a GET after HEADs, with max-clients=1").isEqualTo(200);
			assertThat(client.isOpen()).isTrue();
		}
	}

	@Test
	void headRequestIsCheckedLikeAStream() throws Exception {
		assertThat(send("HEAD", "/sse?topic=no%20spaces").statusCode()).isEqualTo(400);
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void headRequestOverTheTopicLimitIsRefusedLikeAStream() throws Exception {
		String path = "/sse?topic=a&topic=b&topic=c";
		HttpResponse<String> get = send("GET", path);
		HttpResponse<String> head = send("HEAD", path);
		assertThat(get.statusCode()).isEqualTo(400);
		assertThat(head.statusCode()).as("HEAD, where GET gets 400").isEqualTo(400);
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void headRequestToAFullServerIsRefusedLikeAStream() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			HttpResponse<String> get = send("GET", "/sse");
			HttpResponse<String> head = send("HEAD", "/sse");
			assertThat(get.statusCode()).isEqualTo(503);
			assertThat(head.statusCode()).as("HEAD, where GET gets 503").isEqualTo(503);
			assertThat(head.headers().firstValue("Retry-After")).isEqualTo(get.headers().firstValue("Retry-After"))
				.hasValue("5");
			assertThat(this.broadcaster.clientCount()).isOne();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST", "PUT", "DELETE", "PATCH" })
	void otherMethodsGet405WithTheAllowedOnes(String method) throws Exception {
		HttpResponse<String> response = send(method, "/sse");
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(
				(allow) -> assertThat(allow.split(",\\s*")).containsExactlyInAnyOrder("GET", "HEAD"));
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void optionsListsTheAllowedMethods() throws Exception {
		HttpResponse<String> response = send("OPTIONS", "/sse");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(
				(allow) -> assertThat(allow.split(",\\s*")).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS"));
		assertThat(this.broadcaster.clientCount()).isZero();
	}

	@Test
	void emptyTopicIsRefused() throws Exception {
		HttpResponse<String> response = send("GET", "/sse?topic=");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).startsWith("Invalid topic '': use 1 to 64 characters");
	}

	@Test
	void commaIsPartOfTheTopicNameNotASeparator() throws Exception {
		HttpResponse<String> response = send("GET", "/sse?topic=a,b");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).startsWith("Invalid topic 'a,b'");
	}

	@Test
	void eachTopicParameterIsOneTopic() {
		try (SseTestClient client = SseTestClient.connect(url("/sse?topic=a&topic=b&topic=a"))) {
			assertThat(client.status()).isEqualTo(200);
			await().until(() -> this.broadcaster.clientCount() == 1);
			assertThat(this.broadcaster.clients()).singleElement()
				.extracting(SseClient::topics)
				.satisfies((topics) -> assertThat(topics).containsExactlyInAnyOrder("a", "b"));
		}
	}

	@Test
	void tooManyQueryParametersGet400WithoutAnErrorLogged(CapturedOutput output) throws Exception {
		assumeThat(ClassUtils.isPresent("org.apache.catalina.connector.Connector", null))
			.as("Tomcat limits the number of parameters")
			.isTrue();
		String query = IntStream.range(0, 1100).mapToObj((i) -> "x").collect(Collectors.joining("&"));
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> response = send("GET", "/sse?topic=a&" + query);
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/plain"));
			assertThat(response.body()).isEqualTo("The query string cannot be read: too many or malformed parameters");
		}
		assertThat(this.broadcaster.clientCount()).isZero();
		assertThat(output).doesNotContain("ERROR").doesNotContain("Exception");
	}

	// A stream opened by mistake fails the test instead of hanging it.
	private HttpResponse<String> send(String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url(path)))
			.method(method, BodyPublishers.noBody())
			.build();
		return this.http.sendAsync(request, BodyHandlers.ofString()).get(5, TimeUnit.SECONDS);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
