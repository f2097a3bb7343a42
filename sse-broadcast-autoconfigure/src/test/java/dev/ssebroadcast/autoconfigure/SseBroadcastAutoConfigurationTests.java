package dev.ssebroadcast.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ssebroadcast.OverflowPolicy;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseDataEncoder;
import dev.ssebroadcast.SseSubscription;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.SseFanOut;
import dev.ssebroadcast.relay.SseRelay;
import dev.ssebroadcast.web.SseEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class SseBroadcastAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseBroadcastAutoConfiguration.class));

	@Test
	void providesBroadcasterEndpointAndLifecycle() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SseBroadcaster.class)
				.hasSingleBean(SseEndpoint.class)
				.hasSingleBean(SseBroadcasterLifecycle.class);
			SseBroadcastProperties properties = context.getBean(SseBroadcastProperties.class);
			assertThat(properties.getPath()).isEqualTo("/sse");
			assertThat(properties.getHeartbeat()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.getClientQueueCapacity()).isEqualTo(128);
		});
	}

	@Test
	void userBroadcasterReplacesOurs() {
		this.contextRunner.withUserConfiguration(UserBroadcasterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SseBroadcaster.class);
			assertThat(context.getBean(SseBroadcaster.class))
				.isSameAs(context.getBean(UserBroadcasterConfiguration.class).broadcaster);
			assertThat(context).hasSingleBean(SseEndpoint.class);
		});
	}

	@Test
	void userEndpointReplacesOurs() {
		this.contextRunner.withUserConfiguration(UserEndpointConfiguration.class)
			.run((context) -> assertThat(context).getBean(SseEndpoint.class)
				.isSameAs(context.getBean(UserEndpointConfiguration.class).endpoint));
	}

	@Test
	void canBeSwitchedOff() {
		this.contextRunner.withPropertyValues("sse.broadcast.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseBroadcaster.class)
				.doesNotHaveBean(SseEndpoint.class)
				.doesNotHaveBean(SseBroadcastProperties.class));
	}

	@Test
	void notActiveOutsideAWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SseBroadcastAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SseBroadcaster.class));
	}

	@Test
	void notActiveInAReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SseBroadcastAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SseBroadcaster.class));
	}

	@Test
	void propertiesConfigureTheBroadcaster() {
		this.contextRunner
			.withPropertyValues("sse.broadcast.path=/events", "sse.broadcast.heartbeat=3s",
					"sse.broadcast.client-queue-capacity=7")
			.run((context) -> {
				SseBroadcastProperties properties = context.getBean(SseBroadcastProperties.class);
				assertThat(properties.getPath()).isEqualTo("/events");
				assertThat(properties.getHeartbeat()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getClientQueueCapacity()).isEqualTo(7);
			});
	}

	@Test
	void applicationJsonMapperEncodesObjectData() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasSingleBean(SseDataEncoder.class);
			assertThat(streamedData(context.getBean(SseBroadcaster.class), Map.of("price", 42)))
				.isEqualTo("data: {\"price\":42}");
		});
	}

	@Test
	void userDataEncoderReplacesOurs() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.withBean(SseDataEncoder.class, () -> (data) -> "custom " + data)
			.run((context) -> assertThat(streamedData(context.getBean(SseBroadcaster.class), 42))
				.isEqualTo("data: custom 42"));
	}

	@Test
	void withoutJacksonOnlyTextIsAccepted() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(SseDataEncoder.class);
			assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(SseBroadcaster.class).broadcast(42))
				.withMessageContaining("No SseDataEncoder for data of type java.lang.Integer");
		});
	}

	@Test
	void deliveryPropertiesConfigureTheBroadcaster() {
		this.contextRunner
			.withPropertyValues("sse.broadcast.max-topics-per-client=1", "sse.broadcast.topics.prices.overflow=drop-oldest",
					"sse.broadcast.overflow=drop-newest", "sse.broadcast.max-clients=1")
			.run((context) -> {
				SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> broadcaster.connect(SseSubscription.topics(List.of("a", "b")), null))
					.withMessage("At most 1 topics per client are allowed, but 2 were requested");
				assertThat(broadcaster.connect(SseSubscription.topics(List.of("prices")), null).overflow())
					.isEqualTo(OverflowPolicy.DROP_OLDEST);
				assertThatExceptionOfType(SseBroadcaster.TooManyClientsException.class)
					.isThrownBy(() -> broadcaster.connect());
			});
	}

	@Test
	void invalidDeliveryPropertiesFailStartup() {
		assertStartupFails("sse.broadcast.history.size=-1", "sse.broadcast.history.size must be at least 0, but was -1");
		assertStartupFails("sse.broadcast.history.max-age=0s",
				"sse.broadcast.history.max-age must be positive, but was PT0S");
		assertStartupFails("sse.broadcast.max-clients=-2",
				"sse.broadcast.max-clients must be -1 (no limit) or more, but was -2");
		assertStartupFails("sse.broadcast.max-topics-per-client=0",
				"sse.broadcast.max-topics-per-client must be at least 1, but was 0");
		assertStartupFails("sse.broadcast.retry=0s", "sse.broadcast.retry must be positive, but was PT0S");
		assertStartupFails("sse.broadcast.topics[bad topic].overflow=drop-oldest",
				"sse.broadcast.topics has an invalid topic name 'bad topic': use 1 to 64 characters from A-Z, a-z, 0-9 and . _ : -");
	}

	@Test
	void nonPositiveQueueCapacityFailsStartup() {
		assertStartupFails("sse.broadcast.client-queue-capacity=0",
				"sse.broadcast.client-queue-capacity must be at least 1, but was 0");
	}

	@Test
	void nonPositiveHeartbeatFailsStartup() {
		assertStartupFails("sse.broadcast.heartbeat=0s", "sse.broadcast.heartbeat must be positive, but was PT0S");
		assertStartupFails("sse.broadcast.heartbeat=-1s", "sse.broadcast.heartbeat must be positive, but was PT-1S");
	}

	@Test
	void pathWithoutLeadingSlashFailsStartup() {
		assertStartupFails("sse.broadcast.path=events", "sse.broadcast.path must start with '/', but was 'events'");
	}

	private void assertStartupFails(String property, String message) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage(message);
		});
	}

	private static String streamedData(SseBroadcaster broadcaster, Object data) throws InterruptedException {
		SseClient client = broadcaster.connect();
		broadcaster.broadcast(data);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(out, () -> {
		}));
		await().until(() -> out.toString(StandardCharsets.UTF_8).contains("data: "));
		client.close();
		streaming.join();
		return out.toString(StandardCharsets.UTF_8).lines().filter((line) -> line.startsWith("data: ")).findFirst().get();
	}

	@Test
	void relayBeanCarriesTheBroadcastersEvents() {
		List<RelayedEvent> relayed = new CopyOnWriteArrayList<>();
		SseRelay recording = new SseRelay() {

			private SseFanOut fanOut;

			@Override
			public void start(SseFanOut fanOut) {
				this.fanOut = fanOut;
			}

			@Override
			public int publish(RelayedEvent event) {
				relayed.add(event);
				return this.fanOut.deliver(event, "e", relayed.size());
			}

			@Override
			public void stop() {
			}

		};
		this.contextRunner.withBean(SseRelay.class, () -> recording).run((context) -> {
			assertThat(streamedData(context.getBean(SseBroadcaster.class), "relayed")).isEqualTo("data: relayed");
			assertThat(relayed).hasSize(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBroadcasterConfiguration {

		final SseBroadcaster broadcaster = SseBroadcaster.builder().clientQueueCapacity(3).build();

		@Bean
		SseBroadcaster myBroadcaster() {
			return this.broadcaster;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		final SseEndpoint endpoint = new SseEndpoint(new SseBroadcaster(), List.of());

		@Bean
		SseEndpoint myEndpoint() {
			return this.endpoint;
		}

	}

}
