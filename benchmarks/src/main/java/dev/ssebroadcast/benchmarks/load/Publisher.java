package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Publishes events by {@code POST /broadcast} over one kept-alive HTTP/1.1 connection,
 * one at a time: each call waits for the server's answer. The body is
 * {@code <seq> <System.nanoTime()> <padding>}; on Linux {@code nanoTime} is the
 * monotonic clock, which the receiving side reads too, so latency is a subtraction.
 */
final class Publisher implements AutoCloseable {

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final URI uri;

	private final String padding;

	private long failures;

	Publisher(String host, int port, int payloadBytes) {
		this.uri = URI.create("http://" + host + ":" + port + "/broadcast");
		this.padding = "x".repeat(Math.max(1, payloadBytes - 32));
	}

	/**
	 * Publish event {@code seq} and wait for the answer.
	 * @return the number of clients the server says it sent to, or -1 if it failed
	 */
	int publish(long seq) throws InterruptedException {
		String body = seq + " " + System.nanoTime() + " " + this.padding;
		HttpRequest request = HttpRequest.newBuilder(this.uri)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				this.failures++;
				return -1;
			}
			return clients(response.body());
		}
		catch (IOException ex) {
			this.failures++;
			return -1;
		}
	}

	long failures() {
		return this.failures;
	}

	private static int clients(String json) {
		int start = json.indexOf(':') + 1;
		int end = start;
		while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == ' ')) {
			end++;
		}
		return Integer.parseInt(json.substring(start, end).trim());
	}

	@Override
	public void close() {
		this.client.close();
	}

}
