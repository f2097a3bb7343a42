package dev.ssebroadcast.web;

import java.util.List;
import java.util.stream.IntStream;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With virtual threads switched off explicitly, streams still run on virtual threads of
 * their own rather than occupying Spring MVC's small platform-thread pool.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.threads.virtual.enabled=false")
class PlatformThreadsTests {

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Autowired
	Environment environment;

	private List<SseTestClient> clients = List.of();

	@AfterEach
	void closeClients() {
		this.clients.forEach(SseTestClient::close);
	}

	@Test
	void explicitFalseIsRespected() {
		assertThat(this.environment.getProperty("spring.threads.virtual.enabled")).isEqualTo("false");
	}

	@Test
	void moreStreamsThanMvcPoolThreadsAllReceiveEvents() {
		this.clients = IntStream.range(0, 50)
			.mapToObj((i) -> SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse"))
			.toList();
		await().until(() -> this.broadcaster.clientCount() == 50);
		this.broadcaster.broadcast("to all fifty");
		this.clients.forEach((client) -> client.awaitData("to all fifty"));
	}

}
