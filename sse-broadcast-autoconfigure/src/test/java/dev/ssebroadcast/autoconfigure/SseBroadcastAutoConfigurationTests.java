package dev.ssebroadcast.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.web.SseEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

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
