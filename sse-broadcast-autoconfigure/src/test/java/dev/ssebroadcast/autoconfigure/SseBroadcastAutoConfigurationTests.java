package dev.ssebroadcast.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseClientListener;
import dev.ssebroadcast.SseDataEncoder;
import dev.ssebroadcast.relay.Position;
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
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
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
				.hasSingleBean(SseBroadcasterLifecycle.class)
				.hasSingleBean(CarrierThreads.class);
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
	void userCarrierThreadsReplaceOurs() {
		this.contextRunner.withUserConfiguration(UserCarrierThreadsConfiguration.class)
			.run((context) -> assertThat(context).getBean(CarrierThreads.class)
				.isSameAs(context.getBean(UserCarrierThreadsConfiguration.class).carriers));
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
	void everyClientListenerBeanIsToldInOrder() {
		this.contextRunner.withUserConfiguration(OrderedListenersConfiguration.class).run((context) -> {
			List<String> told = context.getBean(OrderedListenersConfiguration.class).told;
			SseClient client = context.getBean(SseBroadcaster.class).connect();
			Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(new ByteArrayOutputStream(), () -> {
			}));
			await().until(() -> told.size() == 2);
			client.close();
			streaming.join();
			assertThat(told).containsExactly("first connect", "second connect", "first disconnect CLOSED",
					"second disconnect CLOSED");
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
				return this.fanOut.deliver(event, new Position("e", relayed.size()));
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
	static class UserCarrierThreadsConfiguration {

		final CarrierThreads carriers = new CarrierThreads(0);

		@Bean
		CarrierThreads myCarrierThreads() {
			return this.carriers;
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

	@Configuration(proxyBeanMethods = false)
	static class OrderedListenersConfiguration {

		final List<String> told = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		SseClientListener second() {
			return listener("second");
		}

		@Bean
		@Order(1)
		SseClientListener first() {
			return listener("first");
		}

		private SseClientListener listener(String name) {
			return new SseClientListener() {

				@Override
				public void onConnect(SseClient client) {
					OrderedListenersConfiguration.this.told.add(name + " connect");
				}

				@Override
				public void onDisconnect(SseClient client, DisconnectReason reason) {
					OrderedListenersConfiguration.this.told.add(name + " disconnect " + reason);
				}

			};
		}

	}

}
