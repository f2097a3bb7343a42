package dev.ssebroadcast.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sse.broadcast.max-connection-lifetime}: streams end on their own, and a client
 * that resumes with {@code Last-Event-ID} as a browser does misses nothing.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.broadcast.max-connection-lifetime=400ms")
class MaxConnectionLifetimeTests {

	private static final int EVENTS = 150;

	@LocalServerPort
	private int port;

	@Autowired
	private SseBroadcaster broadcaster;

	@Test
	void reconnectingClientGetsEveryEventExactlyOnce() throws Exception {
		List<String> received = new ArrayList<>();
		String lastEventId = null;
		int connections = 0;
		ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
		AtomicInteger published = new AtomicInteger();
		long endsBefore = this.broadcaster.statistics().disconnects(DisconnectReason.LIFETIME_ENDED);
		try {
			while (received.size() < EVENTS && connections < 50) {
				Map<String, String> headers = (lastEventId != null) ? Map.of("Last-Event-ID", lastEventId) : Map.of();
				try (SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse", headers,
						Duration.ofSeconds(10))) {
					connections++;
					if (connections == 1) {
						// About 100 events a second: several lifetimes long, and events are
						// published while the client is between two connections.
						publisher.scheduleAtFixedRate(() -> {
							int next = published.getAndIncrement();
							if (next < EVENTS) {
								this.broadcaster.broadcast("event " + next);
							}
						}, 0, 10, TimeUnit.MILLISECONDS);
					}
					await().atMost(Duration.ofSeconds(5)).until(client::hasEnded);
					for (ReceivedEvent event : client.events()) {
						received.add(event.data());
						lastEventId = (event.id() != null) ? event.id() : lastEventId;
					}
				}
			}
		}
		finally {
			publisher.shutdownNow();
		}

		assertThat(received).as("events over %d connections", connections)
			.containsExactlyElementsOf(IntStream.range(0, EVENTS).mapToObj((i) -> "event " + i).toList());
		assertThat(connections).as("connections the lifetime ended").isGreaterThanOrEqualTo(3);
		assertThat(this.broadcaster.statistics().disconnects(DisconnectReason.LIFETIME_ENDED) - endsBefore)
			.isGreaterThanOrEqualTo(connections - 1);
	}

}
