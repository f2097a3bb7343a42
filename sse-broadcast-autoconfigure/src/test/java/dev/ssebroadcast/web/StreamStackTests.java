package dev.ssebroadcast.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseDeliveryListener;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.context.request.RequestContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idle stream's parked thread keeps its stack and its thread-locals in the heap for
 * as long as the client stays: nothing but Spring MVC's own task may sit between the
 * thread's start and the stream's loop, and no request context is bound to the thread.
 */
class StreamStackTests {

	@Test
	void streamsThreadRunsSpringMvcsTaskWithNothingAroundIt() {
		try (ConfigurableApplicationContext context = run()) {
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

	@Test
	void streamsThreadHoldsNoRequestContext() {
		try (ConfigurableApplicationContext context = run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			ContextRecorder recorder = context.getBean(ContextRecorder.class);
			try (SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + port + "/sse")) {
				await().until(() -> context.getBean(SseBroadcaster.class).clientCount() == 1);
				context.getBean(SseBroadcaster.class).broadcast("seen on the stream's thread");
				client.awaitData("seen on the stream's thread");
				await().until(() -> !recorder.bound.isEmpty());
				assertThat(recorder.bound).containsOnly(false);
			}
		}
	}

	private static ConfigurableApplicationContext run() {
		return new SpringApplicationBuilder(TestApplication.class, ContextRecorderConfiguration.class)
			.properties("server.port=0")
			.run();
	}

	// Other tests in this JVM may have left stream threads of their own.
	private static List<String> streamsOf(Map<String, String> stacks) {
		return stacks.values()
			.stream()
			.filter((stack) -> stack.contains("dev.ssebroadcast.web.ClientResponseStream.writeTo"))
			.toList();
	}

	/**
	 * Records, for each delivery, whether the stream's thread had a request or a locale
	 * bound.
	 */
	static final class ContextRecorder implements SseDeliveryListener {

		final List<Boolean> bound = new CopyOnWriteArrayList<>();

		@Override
		public void delivered(long lagNanos) {
			this.bound.add(RequestContextHolder.getRequestAttributes() != null
					|| LocaleContextHolder.getLocaleContext() != null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ContextRecorderConfiguration {

		@Bean
		ContextRecorder contextRecorder() {
			return new ContextRecorder();
		}

	}

}
