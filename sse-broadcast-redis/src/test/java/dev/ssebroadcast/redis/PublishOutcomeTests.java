package dev.ssebroadcast.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.relay.SseRelayNotPublishedException;
import dev.ssebroadcast.relay.SseRelayOutcomeUnknownException;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A failed publish says whether the event may have been published, truthfully; and an
 * event with the application's id is appended at most once, so a retry after an unknown
 * outcome is safe.
 */
class PublishOutcomeTests {

	private static RedisServer redis;

	private static Instance instance;

	@BeforeAll
	static void startInstance() {
		redis = RedisServer.start();
		instance = Instance.start(redis, "outcomes", "sse.broadcast.redis.publish-timeout=300ms");
	}

	@AfterAll
	static void stopInstance() {
		instance.close();
		redis.close();
	}

	@AfterEach
	void closeClients() {
		redis.command("CLIENT", "UNPAUSE");
		instance.closeClientsAndAwaitGone();
	}

	@Test
	void publishThatGetsNoAnswerInTimeSaysItMayHaveBeenPublishedAndItWas() {
		SseTestClient client = connected();
		assertThat(redis.command("CLIENT", "PAUSE", "1500", "WRITE")).isEqualTo("+OK");

		assertThatExceptionOfType(SseRelayOutcomeUnknownException.class)
			.isThrownBy(() -> instance.broadcaster().broadcast(SseEvent.of("late").withId("order-1")))
			.withMessageContaining("127.0.0.1:" + redis.port())
			.withMessageContaining("may have been published")
			.withMessageContaining("same id is safe");

		assertThat(client.awaitData("late")).as("appended once Redis went on").containsExactly("ready", "late");
	}

	@Test
	void retryAfterAnUnknownOutcomeIsAppendedOnce() {
		SseTestClient client = connected();
		redis.command("CLIENT", "PAUSE", "1500", "WRITE");
		assertThatExceptionOfType(SseRelayOutcomeUnknownException.class)
			.isThrownBy(() -> instance.broadcaster().broadcast(SseEvent.of("order placed").withId("order-2")));

		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> instance.broadcaster().broadcast(SseEvent.of("order placed").withId("order-2")) >= 0);
		instance.broadcaster().broadcast("next");

		assertThat(client.awaitData("order placed", "next")).containsExactly("ready", "order placed", "next");
		assertThat(client.events().get(1).id()).isEqualTo("order-2");
	}

	@Test
	void sameIdToAnotherAudienceIsNotADuplicate() {
		SseTestClient client = instance.connect("/sse?topic=a&topic=b");
		await().atMost(Duration.ofSeconds(10)).until(() -> instance.broadcaster().clientCount() == 1);

		instance.broadcaster().send("a", SseEvent.of("to a").withId("42"));
		instance.broadcaster().send("b", SseEvent.of("to b").withId("42"));
		instance.broadcaster().broadcast(SseEvent.of("to everyone").withId("42"));
		instance.broadcaster().send("a", SseEvent.of("to a again").withId("42"));
		instance.broadcaster().broadcast("last");

		assertThat(client.awaitData("to a", "to b", "to everyone", "last")).containsExactly("to a", "to b",
				"to everyone", "last");
	}

	@Test
	void publishWithoutAConnectionSaysItWasNotPublished() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		try (Instance unconnected = Instance.start(redis, "outcomes", "spring.data.redis.port=" + closedPort)) {
			assertThatExceptionOfType(SseRelayNotPublishedException.class)
				.isThrownBy(() -> unconnected.broadcaster().broadcast(SseEvent.of("lost").withId("order-3")))
				.withMessageStartingWith("Redis is unreachable at 127.0.0.1:" + closedPort + " (")
				.withMessageEndingWith("the event was not published");
		}
	}

	/**
	 * A client that received a first event: Redis knows the publish script then, so a
	 * paused publish runs it when Redis goes on (rather than fail for lack of it).
	 */
	private static SseTestClient connected() {
		SseTestClient client = instance.connect("/sse");
		await().atMost(Duration.ofSeconds(10)).until(() -> instance.broadcaster().clientCount() == 1);
		instance.broadcaster().broadcast("ready");
		client.awaitData("ready");
		return client;
	}


}
