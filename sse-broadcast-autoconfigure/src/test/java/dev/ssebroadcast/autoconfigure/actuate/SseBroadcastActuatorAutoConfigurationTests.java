package dev.ssebroadcast.autoconfigure.actuate;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.actuate.SseBroadcasterHealthIndicator;
import dev.ssebroadcast.actuate.SseConnectionsEndpoint;
import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

class SseBroadcastActuatorAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseBroadcastAutoConfiguration.class,
				SseBroadcastHealthContributorAutoConfiguration.class, SseBroadcastEndpointAutoConfiguration.class));

	@Test
	void healthIndicatorIsContributed() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SseBroadcasterHealthIndicator.class)
			.hasBean("sseHealthIndicator"));
	}

	@Test
	void healthIndicatorCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("management.health.sse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseBroadcasterHealthIndicator.class));
	}

	@Test
	void userHealthIndicatorReplacesOurs() {
		this.contextRunner
			.withBean("sseHealthIndicator", SseBroadcasterHealthIndicator.class,
					() -> new SseBroadcasterHealthIndicator(new SseBroadcaster()))
			.run((context) -> assertThat(context).hasSingleBean(SseBroadcasterHealthIndicator.class));
	}

	@Test
	void noHealthIndicatorWithoutHealthSupport() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Health.class))
			.run((context) -> assertThat(context).hasSingleBean(SseBroadcaster.class)
				.doesNotHaveBean(SseBroadcasterHealthIndicator.class));
	}

	@Test
	void endpointIsAvailableOnceExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sse")
			.run((context) -> assertThat(context).hasSingleBean(SseConnectionsEndpoint.class));
	}

	@Test
	void endpointIsAbsentUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SseConnectionsEndpoint.class));
	}

	@Test
	void nothingWithoutABroadcaster() {
		this.contextRunner.withPropertyValues("sse.broadcast.enabled=false",
				"management.endpoints.web.exposure.include=sse")
			.run((context) -> assertThat(context).doesNotHaveBean(SseBroadcasterHealthIndicator.class)
				.doesNotHaveBean(SseConnectionsEndpoint.class));
	}

}
