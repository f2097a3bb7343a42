package dev.ssebroadcast.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
 * The sample's public URLs: {@code GET /sse} streams and {@code POST /broadcast}
 * publishes.
 */
@ExtendWith(OutputCaptureExtension.class)
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
			assertThat(client.data()).containsExactly("{ \"price\": 42.5, \"tags\": [\"a\"] }");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "12345678901234567.89", "1e400", "{\"a\": 1, \"a\": 2}", "\"\\ud800\"",
			"[\"caf\u00e9\", -0.0, 1E-400]" })
	void jsonBodyArrivesAsItWasSent(String json) throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			HttpResponse<String> response = post("/broadcast", "application/json", json);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(5)).until(() -> client.events().size() == 1);
			assertThat(client.data()).containsExactly(json);
		}
	}

	@Test
	void textBodyIsReadInItsDeclaredCharset() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse"))) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url("/broadcast")))
				.header("Content-Type", "text/plain; charset=ISO-8859-1")
				.POST(BodyPublishers.ofByteArray(new byte[] { 'c', 'a', 'f', (byte) 0xE9 })));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(5)).until(() -> client.events().size() == 1);
			assertThat(client.data()).containsExactly("café");
		}
	}

	@Test
	void textBodyThatIsNotItsCharsetIsRefused() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url("/broadcast")))
			.header("Content-Type", "text/plain")
			.POST(BodyPublishers.ofByteArray(new byte[] { 'c', 'a', 'f', (byte) 0xE9 })));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("The request body is not valid UTF-8 text");
	}

	@Test
	void badParametersAreRejectedWithAReason() throws Exception {
		HttpResponse<String> badTopic = post("/broadcast?topic=no%20spaces", "text/plain", "x");
		assertThat(badTopic.statusCode()).isEqualTo(400);
		assertThat(badTopic.body()).startsWith("Invalid topic 'no spaces'");

		HttpResponse<String> badEvent = post("/broadcast?event=a%0Adata:%20injected", "text/plain", "x");
		assertThat(badEvent.statusCode()).isEqualTo(400);
		assertThat(badEvent.body()).startsWith("event must not contain CR or LF");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			invalid JSON        | /broadcast                     | application/json | { not json | 400 | The request body is not valid JSON: Unexpected character ('n'
			empty JSON body     | /broadcast                     | application/json |            | 400 | The request body must not be empty
			blank JSON body     | /broadcast                     | application/json | '  '       | 400 | The request body is not valid JSON: only whitespace
			empty text body     | /broadcast                     | text/plain       |            | 400 | The request body must not be empty
			empty topic         | /broadcast?topic=              | text/plain       | x          | 400 | Invalid topic ''
			comma in topic      | /broadcast?topic=a,b           | text/plain       | x          | 400 | Invalid topic 'a,b'
			repeated topic      | /broadcast?topic=a&topic=b     | text/plain       | x          | 400 | Give topic at most once
			long event with LF  | /broadcast?event=LONG%0Adata:x | text/plain       | x          | 400 | event must not contain CR or LF
			XML body            | /broadcast                     | application/xml  | <a/>       | 415 | Content-Type 'application/xml' is not supported
			two JSON values     | /broadcast                     | application/json | 1 2        | 400 | The request body is not valid JSON: more than one value
			unclosed JSON       | /broadcast                     | application/json | '[1, '     | 400 | The request body is not valid JSON: Unexpected end-of-input
			bad JSON escape     | /broadcast                     | application/json | '"\\x"'     | 400 | The request body is not valid JSON: Unrecognized character escape
			unknown charset     | /broadcast                     | text/plain; charset=no-such | x | 415 | Could not parse Content-Type
			empty htmx message  | /htmx/messages                 | application/x-www-form-urlencoded | message= | 400 | The message must not be empty
			repeated message    | /htmx/messages                 | application/x-www-form-urlencoded | message=a&message=b | 400 | Give message at most once
			""")
	void badRequestGetsAPlainReasonWithoutInternalNames(String name, String path, String contentType,
			@Nullable String body, int status, String reason, CapturedOutput output) throws Exception {
		HttpResponse<String> response = post(path.replace("LONG", "e".repeat(4000)), contentType,
				(body != null) ? body : "");
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.body()).contains(reason).doesNotContain("dev.ssebroadcast", "java.", "tools.jackson", "$");
		assertThat(output).doesNotContain(" ERROR ");
	}

	@Test
	void tooManyQueryParametersGet400WithoutAnErrorLogged(CapturedOutput output) throws Exception {
		assumeThat(ClassUtils.isPresent("org.apache.catalina.connector.Connector", null))
			.as("Tomcat limits the number of parameters").isTrue();
		String query = IntStream.range(0, 1100).mapToObj((i) -> "x").collect(Collectors.joining("&"));
		String refused = "The request's parameters cannot be read: too many, too large or malformed";
		assertThat(post("/broadcast?" + query, "text/plain", "x")).satisfies(badRequest(refused));
		assertThat(post("/htmx/messages", "application/x-www-form-urlencoded", "message=hi&" + query))
			.satisfies(badRequest(refused));
		assertThat(send(HttpRequest.newBuilder(URI.create(url("/sse?" + query)))))
			.satisfies(badRequest("The query string cannot be read: too many or malformed parameters"));
		assertThat(output).doesNotContain(" ERROR ").doesNotContain("Exception");
	}

	private static Consumer<HttpResponse<String>> badRequest(String reason) {
		return (response) -> {
			assertThat(response.statusCode()).as(response.uri().getPath()).isEqualTo(400);
			assertThat(response.body()).isEqualTo(reason);
		};
	}

	@ParameterizedTest
	@CsvSource({ "/broadcast, GET, 405", "/broadcast, HEAD, 405", "/broadcast, PUT, 405", "/broadcast, DELETE, 405",
			"/broadcast, PATCH, 405", "/broadcast, OPTIONS, 200", "/sse, HEAD, 200", "/sse, POST, 405",
			"/sse, PUT, 405", "/sse, DELETE, 405", "/sse, PATCH, 405", "/sse, OPTIONS, 200" })
	void otherMethodsAreAnsweredWithoutOpeningAStream(String path, String method, int status) throws Exception {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(url(path))).method(method, BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(status);
		if (status == 405 || method.equals("OPTIONS")) {
			assertThat(response.headers().firstValue("Allow")).hasValueSatisfying((allow) -> assertThat(allow)
				.contains(path.equals("/sse") ? "GET" : "POST"));
		}
		assertThat(this.broadcaster.clientCount()).isZero();
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
		return send(HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", contentType)
			.POST(BodyPublishers.ofString(body)));
	}

	// A stream opened by mistake fails the test instead of hanging it.
	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.sendAsync(request.build(), BodyHandlers.ofString()).get(5, TimeUnit.SECONDS);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
