package dev.ssebroadcast.test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The test client against a minimal HTTP server that writes fixed streams.
 */
class SseTestClientTests {

	private static final Duration SHORT = Duration.ofMillis(300);

	private final CountDownLatch endOfTest = new CountDownLatch(1);

	private final List<SseTestClient> clients = new ArrayList<>();

	private HttpServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.clients.forEach(SseTestClient::close);
		this.endOfTest.countDown();
		this.server.stop(0);
	}

	@Test
	void awaitDataReturnsTheDataOnceTheExpectedEventsArrived() {
		serveOpen("/sse", "data: a\n\ndata: b\n\ndata: c\n\n");
		SseTestClient client = connect("/sse", SseTestClient.DEFAULT_TIMEOUT);
		assertThat(client.awaitData("a", "c")).containsExactly("a", "b", "c");
		assertThat(client.isOpen()).isTrue();
		assertThat(client.status()).isEqualTo(200);
	}

	@Test
	void awaitEventsReturnsEventsWithTheirNameAndId() {
		serveOpen("/sse", ": connected\n\nid: 7\nevent: price\ndata: 1\ndata: 2\n\n");
		SseTestClient client = connect("/sse", SseTestClient.DEFAULT_TIMEOUT);
		assertThat(client.awaitEvents(1)).containsExactly(new ReceivedEvent("1\n2", "price", "7"));
	}

	@Test
	void awaitEventsFailsAtTheTimeoutListingWhatArrived() {
		serveOpen("/sse", "data: only\n\n");
		SseTestClient client = connect("/sse", SHORT);
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.awaitEvents(2))
			.withMessageContaining("Expected 2 events from http://127.0.0.1:")
			.withMessageContaining("within 300ms, but the stream is open and 1 events arrived")
			.withMessageContaining("ReceivedEvent[data=only");
	}

	@Test
	void awaitDataFailsAtOnceWhenTheStreamEnds() {
		serve("/sse", 200, "data: a\n\n");
		SseTestClient client = connect("/sse", Duration.ofSeconds(30));
		long start = System.nanoTime();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.awaitData("b"))
			.withMessageContaining("Expected data [b] in this order")
			.withMessageContaining("before the stream ended");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to fail").isLessThan(Duration.ofSeconds(5));
		assertThat(client.hasEnded()).isTrue();
	}

	@Test
	void awaitDataNeedsTheExpectedOrder() {
		serveOpen("/sse", "data: b\n\ndata: a\n\n");
		SseTestClient client = connect("/sse", SHORT);
		client.awaitEvents(2);
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.awaitData("a", "b"))
			.withMessageContaining("Expected data [a, b] in this order");
	}

	@Test
	void connectReturnsARefusalWithItsStatus() {
		serve("/sse", 503, "shut down");
		SseTestClient client = connect("/sse", SseTestClient.DEFAULT_TIMEOUT);
		assertThat(client.status()).isEqualTo(503);
		assertThat(client.isOpen()).isFalse();
		assertThat(client.hasEnded()).isTrue();
	}

	@Test
	void connectFailsWhenNothingListens() throws IOException {
		int port;
		try (ServerSocket unused = new ServerSocket(0)) {
			port = unused.getLocalPort();
		}
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> SseTestClient.connect("http://127.0.0.1:" + port + "/sse"))
			.withMessageContaining("Expected a response")
			.withMessageContaining("the connection failed");
	}

	@Test
	void connectSendsTheGivenHeaders() {
		this.server.createContext("/sse", (exchange) -> {
			String token = exchange.getRequestHeaders().getFirst("Authorization");
			stream(exchange, 200, "data: " + token + "\n\n");
		});
		SseTestClient client = track(SseTestClient.connect(url("/sse"), Map.of("Authorization", "Bearer t"),
				SseTestClient.DEFAULT_TIMEOUT));
		assertThat(client.awaitData("Bearer t")).containsExactly("Bearer t");
	}

	@Test
	void manyStreamsToOneHostAreOpenAtOnce() {
		serveOpen("/sse", "data: hello\n\n");
		List<SseTestClient> many = IntStream.range(0, 30)
			.mapToObj((i) -> connect("/sse", SseTestClient.DEFAULT_TIMEOUT))
			.toList();
		many.forEach((client) -> assertThat(client.awaitData("hello")).containsExactly("hello"));
		assertThat(many).allMatch(SseTestClient::isOpen);
	}

	@Test
	void closeDisconnectsFromTheServer() throws InterruptedException {
		CountDownLatch disconnected = new CountDownLatch(1);
		this.server.createContext("/sse", (exchange) -> {
			stream(exchange, 200, ": connected\n\n");
			try (OutputStream out = exchange.getResponseBody()) {
				while (true) {
					out.write(": ping\n\n".getBytes(StandardCharsets.US_ASCII));
					out.flush();
					Thread.sleep(10);
				}
			}
			catch (IOException ex) {
				disconnected.countDown();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		SseTestClient client = connect("/sse", SseTestClient.DEFAULT_TIMEOUT);
		client.close();
		assertThat(disconnected.await(10, TimeUnit.SECONDS)).as("server saw the client go").isTrue();
		assertThat(client.hasEnded()).isTrue();
		assertThat(client.isOpen()).isFalse();
	}

	private void serveOpen(String path, String body) {
		this.server.createContext(path, (exchange) -> {
			stream(exchange, 200, body);
			try {
				this.endOfTest.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
	}

	private void serve(String path, int status, String body) {
		this.server.createContext(path, (exchange) -> {
			stream(exchange, status, body);
			exchange.close();
		});
	}

	private static void stream(HttpExchange exchange, int status, String body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", (status == 200) ? "text/event-stream" : "text/plain");
		exchange.sendResponseHeaders(status, 0);
		OutputStream out = exchange.getResponseBody();
		out.write(body.getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private SseTestClient connect(String path, Duration timeout) {
		return track(SseTestClient.connect(url(path), Map.of(), timeout));
	}

	private SseTestClient track(SseTestClient client) {
		this.clients.add(client);
		return client;
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

}
