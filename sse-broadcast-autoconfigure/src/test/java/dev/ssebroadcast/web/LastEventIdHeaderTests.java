package dev.ssebroadcast.web;

import java.util.Map;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application's id that is not ASCII comes back as a browser sends it: the UTF-8
 * bytes of a {@code Last-Event-ID} header, which servlet containers decode as
 * ISO-8859-1.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.broadcast.heartbeat=200ms")
class LastEventIdHeaderTests {

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@AfterEach
	void allClientsGone() {
		await().until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void nonAsciiIdSentAsUtf8ReplaysWhatCameAfterIt() throws Exception {
		this.broadcaster.broadcast(SseEvent.of("one").withId("café-1"));
		this.broadcaster.broadcast(SseEvent.of("two").withId("日本-2"));
		this.broadcaster.broadcast(SseEvent.of("three").withId("😀-3"));
		assertReplay("café-1", "id: 日本-2\ndata: two\n", "id: 😀-3\ndata: three\n");
		assertReplay("日本-2", "id: 😀-3\ndata: three\n");
	}

	@Test
	void asciiIdReplaysAsBefore() throws Exception {
		this.broadcaster.broadcast(SseEvent.of("one").withId("plain-1"));
		this.broadcaster.broadcast(SseEvent.of("two").withId("plain-2"));
		assertReplay("plain-1", "id: plain-2\ndata: two\n");
	}

	private void assertReplay(String lastEventId, String... events) throws Exception {
		String last = events[events.length - 1];
		try (RawStreamClient client = RawStreamClient.connect(this.port, "/sse",
				Map.of("Last-Event-ID", lastEventId))) {
			client.readUntil(last.substring(last.indexOf("data: ")));
			assertThat(client.received()).as("stream resumed after %s", lastEventId)
				.doesNotContain(SseBroadcaster.RESET_EVENT)
				.contains(events);
		}
	}

}
