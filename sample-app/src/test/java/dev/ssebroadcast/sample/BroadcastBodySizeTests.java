package dev.ssebroadcast.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A body larger than {@code sse.broadcast.max-event-size} is refused from its declared
 * length before it is sent, or, sent in chunks without one, once it passes the limit:
 * the server never reads, let alone holds, the rest.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.max-event-size=64KB", "sse.broadcast.heartbeat=200ms" })
class BroadcastBodySizeTests {

	private static final long HUGE = 50L * 1024 * 1024;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@ParameterizedTest
	@CsvSource({ "/broadcast, text/plain", "/htmx/messages, application/x-www-form-urlencoded" })
	void bodyDeclaredTooLargeIsRefusedBeforeAByteOfItIsSent(String path, String contentType) throws Exception {
		try (RawConnection connection = RawConnection.open(this.port)) {
			connection.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
					+ "\r\nContent-Length: " + HUGE + "\r\n\r\n");

			assertThat(connection.await("allowed (sse.broadcast.max-event-size)", TIMEOUT))
				.as("a response without the body: %s", connection.received())
				.isTrue();
			assertThat(connection.received()).startsWith("HTTP/1.1 413")
				.contains("Content-Type: text/plain")
				.contains("The request body is larger than the 65536 bytes allowed (sse.broadcast.max-event-size)");
		}
	}

	@Test
	void chunkedBodyIsRefusedOnceItPassesTheLimitAndNotReadFurther() throws Exception {
		try (RawConnection connection = RawConnection.open(this.port)) {
			connection.send("POST /broadcast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n");
			CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> sendChunksUntilRefused(connection));

			assertThat(connection.await("allowed (sse.broadcast.max-event-size)", TIMEOUT))
				.as("a response before the end of the body: %s", connection.received())
				.isTrue();
			assertThat(connection.received()).startsWith("HTTP/1.1 413");
			long bytesSent = sent.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(bytesSent).as("bytes sent before the server closed the connection").isLessThan(HUGE / 5);
		}
	}

	@Test
	void bodyAtTheLimitIsPublished() throws Exception {
		String data = "x".repeat(60 * 1024);
		try (SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse");
				RawConnection connection = RawConnection.open(this.port)) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			connection.send("POST /broadcast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
					+ "Content-Length: " + data.length() + "\r\n\r\n" + data);
			assertThat(connection.await("{\"clients\":1}", TIMEOUT)).as(connection.received()).isTrue();
			assertThat(client.awaitData(data)).containsExactly(data);
		}
	}

	/**
	 * Send 64 KiB chunks up to {@link #HUGE} bytes, stopping when the server closes the
	 * connection.
	 * @return how many bytes were sent
	 */
	private static long sendChunksUntilRefused(RawConnection connection) {
		byte[] chunk = chunk(64 * 1024);
		long sent = 0;
		try {
			OutputStream out = connection.output();
			while (sent < HUGE) {
				out.write(chunk);
				sent += chunk.length;
			}
			out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// the server closed the connection
		}
		return sent;
	}

	private static byte[] chunk(int size) {
		byte[] header = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
		byte[] chunk = new byte[header.length + size + 2];
		System.arraycopy(header, 0, chunk, 0, header.length);
		Arrays.fill(chunk, header.length, header.length + size, (byte) 'x');
		chunk[chunk.length - 2] = '\r';
		chunk[chunk.length - 1] = '\n';
		return chunk;
	}

}
