package dev.ssebroadcast.autoconfigure.metrics;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseDeliveryListener;
import dev.ssebroadcast.SseSubscription;
import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.metrics.SseBroadcasterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SseBroadcastMetricsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SseBroadcastAutoConfiguration.class,
				SseBroadcastMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("sse.broadcast.client-queue-capacity=2", "sse.broadcast.topics.news.overflow=drop-oldest",
				"sse.broadcast.heartbeat=50ms");

	@Test
	void metersFollowAKnownSequence() {
		this.contextRunner.run((context) -> {
			SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			SseClient reader = broadcaster.connect(SseSubscription.topics(List.of("news")), null);
			SseClient dropping = broadcaster.connect(SseSubscription.topics(List.of("news")), null);
			SseClient overflowing = broadcaster.connect();
			SseClient leaving = broadcaster.connect();
			assertThat(gauge(registry, "sse.clients")).isEqualTo(4);
			assertThat(registry.get("sse.topic.subscribers").tag("topic", "news").gauge().value()).isEqualTo(2);

			leaving.close();
			broadcaster.send("news", "n1");
			broadcaster.send("news", "n2");
			broadcaster.send("news", "n3");
			broadcaster.broadcast("b1");
			broadcaster.broadcast("b2");
			broadcaster.broadcast("b3");
			Thread streaming = Thread.ofVirtual().start(() -> reader.streamTo(new ByteArrayOutputStream(), () -> {
			}));
			await().until(() -> counter(registry, "sse.events.delivered") == 2);
			reader.close();
			streaming.join(Duration.ofSeconds(5));

			assertThat(counter(registry, "sse.events.published")).isEqualTo(6);
			assertThat(dropping.dropped()).as("dropped by the idle client").isEqualTo(4);
			assertThat(reader.dropped()).as("dropped by the client that read late").isEqualTo(4);
			assertThat(counter(registry, "sse.events.dropped")).isEqualTo(8);
			assertThat(overflowing.disconnectReason()).isEqualTo(DisconnectReason.OVERFLOW);
			assertThat(disconnects(registry, "overflow")).isEqualTo(1);
			assertThat(disconnects(registry, "closed")).isEqualTo(2);
			assertThat(disconnects(registry, "write_error")).isZero();
			assertThat(gauge(registry, "sse.clients")).isEqualTo(1);
			assertThat(gauge(registry, "sse.client.queue.high.water")).isEqualTo(2);
			assertThat(registry.get("sse.delivery.lag").timer().count()).isEqualTo(2);
		});
	}

	@Test
	void applicationDeliveryListenersAndTheLagTimerAreAllToldInOrder() {
		this.contextRunner.withUserConfiguration(TwoDeliveryListeners.class).run((context) -> {
			SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
			List<String> told = context.getBean(TwoDeliveryListeners.class).told;
			SseClient client = broadcaster.connect();
			Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(new ByteArrayOutputStream(), () -> {
			}));
			broadcaster.broadcast("told");
			await().until(() -> told.size() == 2);
			client.close();
			streaming.join(Duration.ofSeconds(5));

			assertThat(told).containsExactly("first", "second");
			assertThat(context.getBean(MeterRegistry.class).get("sse.delivery.lag").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void userMetricsBeanReplacesOurs() {
		this.contextRunner
			.withBean("myMetrics", SseBroadcasterMetrics.class,
					() -> new SseBroadcasterMetrics(new SseBroadcaster(), List.of()))
			.run((context) -> assertThat(context).hasSingleBean(SseBroadcasterMetrics.class)
				.hasBean("myMetrics"));
	}

	@Test
	void noMetersWithoutMicrometer() {
		new WebApplicationContextRunner().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withConfiguration(AutoConfigurations.of(SseBroadcastAutoConfiguration.class,
					SseBroadcastMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(SseBroadcaster.class)
				.doesNotHaveBean(SseBroadcasterMetrics.class));
	}

	private static double gauge(MeterRegistry registry, String name) {
		return registry.get(name).gauge().value();
	}

	private static double counter(MeterRegistry registry, String name) {
		return registry.get(name).functionCounter().count();
	}

	private static double disconnects(MeterRegistry registry, String reason) {
		return registry.get("sse.clients.disconnected").tag("reason", reason).functionCounter().count();
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDeliveryListeners {

		final List<String> told = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		SseDeliveryListener second() {
			return (lagNanos) -> this.told.add("second");
		}

		@Bean
		@Order(1)
		SseDeliveryListener first() {
			return (lagNanos) -> this.told.add("first");
		}

	}

}
