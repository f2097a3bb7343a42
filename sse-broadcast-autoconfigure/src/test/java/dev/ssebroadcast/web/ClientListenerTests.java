package dev.ssebroadcast.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseClientListener;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SseClientListener} beans hear of every stream of the endpoint: they can greet a
 * client with its id before any other event (depending on the broadcaster they are told
 * by), and learn why each stream ended.
 */
@SpringBootTest(classes = { TestApplication.class, ClientListenerTests.Listeners.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.broadcast.heartbeat=200ms")
class ClientListenerTests {

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Autowired
	Listeners listeners;

	@Test
	void listenerBeanGreetsEachClientWithItsIdBeforeAnyOtherEvent() {
		try (SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse")) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			long id = this.broadcaster.clients().get(0).id();
			this.broadcaster.broadcast("news");

			List<ReceivedEvent> events = client.awaitEvents(2);
			assertThat(events.get(0).event()).isEqualTo("welcome");
			assertThat(events.get(0).data()).isEqualTo(Long.toString(id));
			assertThat(events.get(1).data()).isEqualTo("news");
		}
	}

	@Test
	void browserThatLeavesIsToldAsClientGone() throws Exception {
		RawStreamClient tab = RawStreamClient.connect(this.port, "/sse");
		tab.readUntil(": connected\n\n");
		await().until(() -> this.broadcaster.clientCount() == 1);
		SseClient client = this.broadcaster.clients().get(0);

		tab.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listeners.ended.containsKey(client.id()));
		assertThat(this.listeners.ended.get(client.id())).isEqualTo(DisconnectReason.CLIENT_GONE);
		assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.CLIENT_GONE);
	}

	@Test
	void streamClosedByTheApplicationIsToldOnceAsClosed() {
		try (SseTestClient tab = SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse")) {
			await().until(() -> this.broadcaster.clientCount() == 1);
			SseClient client = this.broadcaster.clients().get(0);

			client.close();
			tab.awaitEnd();
			await().until(() -> this.listeners.ended.containsKey(client.id()));
			assertThat(this.listeners.ended.get(client.id())).isEqualTo(DisconnectReason.CLOSED);
			assertThat(this.listeners.disconnects.stream().filter((id) -> id == client.id())).hasSize(1);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final Map<Long, DisconnectReason> ended = new ConcurrentHashMap<>();

		final List<Long> disconnects = new CopyOnWriteArrayList<>();

		@Bean
		SseClientListener welcome(SseBroadcaster broadcaster) {
			return new SseClientListener() {

				@Override
				public void onConnect(SseClient client) {
					broadcaster.sendToClient(client.id(), SseEvent.of(Long.toString(client.id())).withEvent("welcome"));
				}

			};
		}

		@Bean
		SseClientListener endings() {
			return new SseClientListener() {

				@Override
				public void onDisconnect(SseClient client, DisconnectReason reason) {
					Listeners.this.disconnects.add(client.id());
					Listeners.this.ended.put(client.id(), reason);
				}

			};
		}

	}

}
