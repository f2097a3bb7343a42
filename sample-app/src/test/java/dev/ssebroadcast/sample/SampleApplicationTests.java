package dev.ssebroadcast.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

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
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

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
		assertThat(response.body()).contains("The request body must not be empty");
	}

	@Test
	void pageConnectsWithEventSource() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(url("/"))).build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("new EventSource('/sse')").contains("fetch('/broadcast'");
	}

	private HttpResponse<String> post(String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url("/broadcast")))
			.header("Content-Type", "text/plain")
			.POST(BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, BodyHandlers.ofString());
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
