package dev.ssebroadcast.web;

import java.util.List;
import java.util.Map;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idle stream's parked thread keeps every frame under the stream's loop in the heap:
 * nothing but Spring MVC's own task may sit between the thread's start and the loop.
 */
class StreamStackTests {

	@Test
	void streamsThreadRunsSpringMvcsTaskWithNothingAroundIt() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
			try (SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + port + "/sse")) {
				await().until(() -> broadcaster.clientCount() == 1 && !streamsOf(StreamThreads.alive()).isEmpty());
				assertThat(streamsOf(StreamThreads.alive())).allSatisfy((stack) -> assertThat(stack)
					.doesNotContain("java.util.concurrent.FutureTask")
					.doesNotContain("Executors$RunnableAdapter")
					.doesNotContain("SseEndpoint.lambda$"));
			}
		}
	}

	// Other tests in this JVM may have left stream threads of their own.
	private static List<String> streamsOf(Map<String, String> stacks) {
		return stacks.values()
			.stream()
			.filter((stack) -> stack.contains("dev.ssebroadcast.web.ClientResponseStream.writeTo"))
			.toList();
	}

}
