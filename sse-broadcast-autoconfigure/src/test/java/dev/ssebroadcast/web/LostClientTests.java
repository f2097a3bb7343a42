package dev.ssebroadcast.web;

import java.time.Duration;
import java.util.Set;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseEvent;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that are gone without saying so to the broadcaster: one that closed its
 * connection, and one that stopped reading. Each must be dropped in the time the
 * heartbeat and the write timeout promise, freeing its thread and connection.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.broadcast.heartbeat=1s", "sse.broadcast.write-timeout=1s",
				"sse.broadcast.client-queue-capacity=64" })
class LostClientTests {

	private static final Duration HEARTBEAT = Duration.ofSeconds(1);

	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

	// The heartbeat task's tick, a quarter of the shorter of the two.
	private static final Duration TICK = Duration.ofMillis(250);

	// What a loaded machine may add to the task's sleeps.
	private static final Duration SLACK = Duration.ofMillis(350);

	private static final String LARGE = "x".repeat(256 * 1024);

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@AfterEach
	void allClientsGone() {
		await("clients to be gone").atMost(Duration.ofSeconds(10)).until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void clientThatClosesItsConnectionIsDroppedWithinAQuarterPastOneHeartbeat() throws Exception {
		RawStreamClient client = RawStreamClient.connect(this.port, "/sse");
		client.readUntil(": connected\n\n");
		await().until(() -> this.broadcaster.clientCount() == 1);
		SseClient gone = this.broadcaster.clients().get(0);

		long closed = System.nanoTime();
		client.close();
		await("closed connection to be dropped").atMost(HEARTBEAT.multipliedBy(3))
			.until(() -> this.broadcaster.clientCount() == 0);

		assertThat(Duration.ofNanos(System.nanoTime() - closed)).as("time to drop a closed connection")
			.isLessThan(HEARTBEAT.plus(TICK).plus(SLACK));
		assertThat(gone.disconnectReason()).as("reason of a client that left").isEqualTo(DisconnectReason.CLIENT_GONE);
	}

	@Test
	void clientThatStopsReadingIsDroppedAfterTheWriteTimeout() throws Exception {
		Set<String> before = StreamThreads.alive().keySet();
		try (RawStreamClient stalled = RawStreamClient.connect(this.port, "/sse")) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			SseClient client = this.broadcaster.clients().get(0);

			// Fill the connection until a write blocks, far below the queue's capacity.
			do {
				this.broadcaster.sendToClient(client.id(), SseEvent.of(LARGE));
			}
			while (drainsWithin(client, Duration.ofMillis(300)));
			long blocked = System.nanoTime();
			assertThat(client.queued()).as("events queued behind the blocked write").isLessThan(64);

			await("stalled client to be dropped").atMost(Duration.ofSeconds(5)).until(() -> !client.isOpen());
			assertThat(Duration.ofNanos(System.nanoTime() - blocked)).as("time from a blocked write to the drop")
				.isLessThan(WRITE_TIMEOUT.plus(TICK).plus(SLACK));
			assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.WRITE_ERROR);
			StreamThreads.awaitOnly(before, Duration.ofSeconds(3));
			assertThat(stalled.isClosedByServerWithin(Duration.ofSeconds(3)))
				.as("stalled client's connection closed by the server").isTrue();
		}
	}

	private static boolean drainsWithin(SseClient client, Duration timeout) {
		try {
			await().atMost(timeout).until(() -> client.queued() == 0);
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

}
