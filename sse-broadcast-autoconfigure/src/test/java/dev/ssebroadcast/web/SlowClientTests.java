package dev.ssebroadcast.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading must cost only itself.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.client-queue-capacity=4", "sse.broadcast.heartbeat=200ms",
				"sse.broadcast.topics.latest.overflow=drop-oldest" })
class SlowClientTests {

	private static final String LARGE = "x".repeat(256 * 1024);

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@AfterEach
	void allClientsGone() {
		await("clients to be gone").atMost(Duration.ofSeconds(30)).until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void slowClientIsDisconnectedWhileOthersAndThePublisherCarryOn() throws Exception {
		try (RawStreamClient stalled = RawStreamClient.connect(this.port, "/sse");
				SseTestClient reader = SseTestClient.connect(url())) {
			await().until(() -> this.broadcaster.clientCount() == 2);

			List<Long> broadcastNanos = new ArrayList<>();
			int sent = publishUntilOverflow(reader, broadcastNanos);

			assertThat(this.broadcaster.clientCount()).isEqualTo(1);
			assertThat(this.broadcaster.statistics().disconnects(DisconnectReason.OVERFLOW)).isEqualTo(1);
			assertThat(reader.isOpen()).isTrue();
			for (int i = 0; i < sent; i++) {
				assertThat(reader.data().get(i)).isEqualTo(LARGE + i);
			}
			assertThat(Duration.ofNanos(Collections.max(broadcastNanos))).as("slowest broadcast call")
				.isLessThan(Duration.ofMillis(500));
			this.broadcaster.broadcast("after");
			reader.awaitData("after");
		}
	}

	@Test
	void clientDisconnectedForOverflowReleasesItsThreadAndConnectionWithinSeconds() throws Exception {
		try (SseTestClient reader = SseTestClient.connect(url())) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			Set<String> readerOnly = StreamThreads.alive().keySet();
			try (RawStreamClient stalled = RawStreamClient.connect(this.port, "/sse")) {
				await().until(() -> this.broadcaster.clientCount() == 2);

				publishUntilOverflow(reader, new ArrayList<>());

				StreamThreads.awaitOnly(readerOnly, Duration.ofSeconds(3));
				assertThat(stalled.isClosedByServerWithin(Duration.ofSeconds(3)))
					.as("stalled client's connection closed by the server").isTrue();
			}
		}
	}

	/**
	 * Broadcast large events, each once the reading client has it, until a client that
	 * does not read is disconnected for overflow.
	 * @return the number of events sent
	 */
	private int publishUntilOverflow(SseTestClient reader, List<Long> broadcastNanos) {
		long overflowsBefore = this.broadcaster.statistics().disconnects(DisconnectReason.OVERFLOW);
		int sent = 0;
		while (this.broadcaster.statistics().disconnects(DisconnectReason.OVERFLOW) == overflowsBefore) {
			assertThat(sent).as("events sent before the stalled client overflowed").isLessThan(2000);
			long start = System.nanoTime();
			this.broadcaster.broadcast(LARGE + sent);
			broadcastNanos.add(System.nanoTime() - start);
			sent++;
			reader.awaitEvents(sent);
		}
		return sent;
	}

	@Test
	void stalledClientOnADropOldestTopicLosesOnlyOlderEventsAndStays() throws Exception {
		HttpResponse<InputStream> stalled = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url() + "?topic=latest")).build(), BodyHandlers.ofInputStream());
		await().until(() -> this.broadcaster.clientCount() == 1);
		SseClient stalledClient = this.broadcaster.clients().get(0);
		try (InputStream body = stalled.body(); SseTestClient reader = SseTestClient.connect(url() + "?topic=latest")) {
			await().until(() -> this.broadcaster.clientCount() == 2);
			List<String> published = new ArrayList<>();
			while (stalledClient.dropped() < 3) {
				assertThat(published.size()).as("events sent before the stalled client dropped some").isLessThan(2000);
				String id = "e" + published.size();
				this.broadcaster.send("latest", SseEvent.of(LARGE).withId(id));
				published.add(id);
				int expected = published.size();
				await().atMost(Duration.ofSeconds(10)).until(() -> reader.events().size() == expected);
			}

			List<String> received = new CopyOnWriteArrayList<>();
			Thread.ofVirtual().start(() -> readIds(body, received));
			String last = published.get(published.size() - 1);
			await("stalled client to read up to the last event").atMost(Duration.ofSeconds(20))
				.until(() -> received.contains(last));

			assertThat(stalledClient.isOpen()).isTrue();
			assertThat(received).as("ids received in order, without duplicates").isSortedAccordingTo(
					Comparator.comparingInt((String id) -> Integer.parseInt(id.substring(1))));
			assertThat(received).doesNotHaveDuplicates();
			assertThat(received.size() + stalledClient.dropped()).isEqualTo(published.size());
			assertThat(received.subList(received.size() - 4, received.size()))
				.as("the newest events fill the queue").isEqualTo(published.subList(published.size() - 4, published.size()));
			assertThat(this.broadcaster.statistics().dropped()).isEqualTo(stalledClient.dropped());
			assertThat(reader.events()).extracting(ReceivedEvent::id).isEqualTo(published);
		}
	}

	private static void readIds(InputStream body, List<String> ids) {
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.startsWith("id: ")) {
					ids.add(line.substring(4));
				}
			}
		}
		catch (IOException ex) {
			// the test closes the stream
		}
	}

	private String url() {
		return "http://127.0.0.1:" + this.port + "/sse";
	}

}
