package dev.ssebroadcast.redis.autoconfigure;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.redis.RelayLagListener;
import dev.ssebroadcast.redis.SseRedisRelay;
import dev.ssebroadcast.redis.actuate.SseRedisRelayHealthIndicator;
import dev.ssebroadcast.redis.autoconfigure.actuate.SseBroadcastRedisHealthContributorAutoConfiguration;
import dev.ssebroadcast.redis.autoconfigure.metrics.SseBroadcastRedisMetricsAutoConfiguration;
import dev.ssebroadcast.redis.metrics.SseRedisRelayMetrics;
import dev.ssebroadcast.relay.InProcessRelay;
import dev.ssebroadcast.relay.SseRelay;
import dev.ssebroadcast.relay.SseRelayException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * When the Redis relay replaces the in-process one, and how its properties are checked.
 * Redis is unreachable here: the relay starts anyway, and publishing fails.
 */
class SseBroadcastRedisAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				SseBroadcastRedisAutoConfiguration.class, SseBroadcastRedisHealthContributorAutoConfiguration.class,
				SseBroadcastRedisMetricsAutoConfiguration.class, SseBroadcastAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + unusedPort(),
				"sse.broadcast.redis.publish-timeout=200ms");

	@Test
	void moduleWithAConnectionFactoryPublishesThroughRedis() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SseRedisRelay.class);
			assertThatExceptionOfType(SseRelayException.class)
				.isThrownBy(() -> context.getBean(SseBroadcaster.class).broadcast("through Redis"))
				.withMessageStartingWith("Redis is unreachable at 127.0.0.1:");
		});
	}

	@Test
	void disabledLeavesTheInProcessRelay() {
		this.contextRunner.withPropertyValues("sse.broadcast.redis.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SseRelay.class);
			assertThat(context.getBean(SseBroadcaster.class).broadcast("in process")).isZero();
		});
	}

	@Test
	void noConnectionFactoryLeavesTheInProcessRelay() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(SseBroadcastRedisAutoConfiguration.class, SseBroadcastAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(SseRelay.class);
				assertThat(context.getBean(SseBroadcaster.class).broadcast("in process")).isZero();
			});
	}

	@Test
	void withoutSpringDataRedisTheInProcessRelayStays() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(SseRelay.class);
				assertThat(context.getBean(SseBroadcaster.class).broadcast("in process")).isZero();
			});
	}

	@Test
	void userRelayReplacesTheRedisRelay() {
		this.contextRunner.withBean("myRelay", SseRelay.class, InProcessRelay::new).run((context) -> {
			assertThat(context).doesNotHaveBean(SseRedisRelay.class)
				.doesNotHaveBean(SseRedisRelayHealthIndicator.class)
				.hasBean("myRelay");
			assertThat(context.getBean(SseBroadcaster.class).broadcast("in process")).isZero();
		});
	}

	@Test
	void propertiesConfigureTheRelay() {
		this.contextRunner.withPropertyValues("sse.broadcast.redis.key-prefix=orders").run((context) -> {
			assertThat(context.getBean(SseRedisRelay.class).status().stream()).isEqualTo("{orders}:events");
		});
	}

	@Test
	void healthIsDownWhileRedisIsUnreachable() {
		this.contextRunner.run((context) -> {
			SseRedisRelayHealthIndicator health = context.getBean("sseRelayHealthIndicator",
					SseRedisRelayHealthIndicator.class);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.health(true).getDetails()).containsEntry("stream", "{sse-broadcast}:events")
				.containsKey("readerError");
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void startupSaysAtInfoWhereEventsAreShared(CapturedOutput output) {
		this.contextRunner.withPropertyValues("sse.broadcast.redis.key-prefix=prices")
			.run((context) -> assertThat(output).containsPattern("INFO .*Sharing events between instances through "
					+ "Redis at 127\\.0\\.0\\.1:\\d+, stream '\\{prices}:events' \\(sse.broadcast.redis.key-prefix=prices\\)"));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void disabledSaysNothingOfSharing(CapturedOutput output) {
		this.contextRunner.withPropertyValues("sse.broadcast.redis.enabled=false")
			.run((context) -> assertThat(output).doesNotContain("Sharing events"));
	}

	/** Both modules' health switches, checked here where both are on the class path. */
	@ParameterizedTest
	@ValueSource(strings = { "management.health.sse.enabled", "management.health.sse-relay.enabled" })
	void healthSwitchHasIdeMetadata(String name) throws Exception {
		List<JsonNode> found = new ArrayList<>();
		for (URL metadata : Collections.list(getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = metadata.openStream()) {
				JsonMapper.builder().build().readTree(in).path("properties").forEach((property) -> {
					if (property.path("name").asString().equals(name)) {
						found.add(property);
					}
				});
			}
		}
		assertThat(found).as(name).singleElement()
			.satisfies((property) -> assertThat(property.path("defaultValue").asBoolean()).isTrue());
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.sse-relay.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseRedisRelayHealthIndicator.class));
	}

	@Test
	void metersCountPublishFailures() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(SseRedisRelayMetrics.class).hasSingleBean(RelayLagListener.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(SseRedisRelayMetrics.class).bindTo(registry);
			assertThatExceptionOfType(SseRelayException.class)
				.isThrownBy(() -> context.getBean(SseBroadcaster.class).broadcast("fails"));
			assertThat(registry.get("sse.relay.publish.failures").functionCounter().count()).isEqualTo(1);
			assertThat(registry.find("sse.relay.reader.reconnects").functionCounter()).isNotNull();
			assertThat(registry.find("sse.relay.resets").functionCounter()).isNotNull();
			assertThat(registry.find("sse.relay.lag").timer()).isNotNull();
		});
	}

	@Test
	void userLagListenerJoinsTheLagTimer() {
		RelayLagListener mine = (lagNanos) -> {
		};
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("myLagListener", RelayLagListener.class, () -> mine)
			.run((context) -> assertThat(context.getBeansOfType(RelayLagListener.class))
				.containsKeys("myLagListener", "sseRelayLagTimer"));
	}

	@Test
	void bracedKeyPrefixFailsStartup() {
		assertStartupFails("sse.broadcast.redis.key-prefix=a{b}",
				"sse.broadcast.redis.key-prefix must not be empty or contain braces, but was 'a{b}'");
	}

	@Test
	void nonPositivePublishTimeoutFailsStartup() {
		assertStartupFails("sse.broadcast.redis.publish-timeout=0s",
				"sse.broadcast.redis.publish-timeout must be positive, but was PT0S");
	}

	@Test
	void zeroRetentionFailsStartup() {
		assertStartupFails("sse.broadcast.redis.retention.max-length=0",
				"sse.broadcast.redis.retention.max-length must be at least 1, but was 0");
		assertStartupFails("sse.broadcast.redis.retention.max-age=-1s",
				"sse.broadcast.redis.retention.max-age must be positive, but was PT-1S");
	}

	@Test
	void blockTimeoutUnderAMillisecondFailsStartup() {
		assertStartupFails("sse.broadcast.redis.reader.block-timeout=0ms",
				"sse.broadcast.redis.reader.block-timeout must be at least 1ms, but was PT0S");
	}

	@Test
	void zeroBatchSizeFailsStartup() {
		assertStartupFails("sse.broadcast.redis.reader.batch-size=0",
				"sse.broadcast.redis.reader.batch-size must be at least 1, but was 0");
	}

	@Test
	void backoffMaximumBelowItsMinimumFailsStartup() {
		assertStartupFails(new String[] { "sse.broadcast.redis.reader.backoff.min=2s",
				"sse.broadcast.redis.reader.backoff.max=1s" },
				"sse.broadcast.redis.reader.backoff.max must be at least sse.broadcast.redis.reader.backoff.min "
						+ "(PT2S), but was PT1S");
	}

	private void assertStartupFails(String property, String message) {
		assertStartupFails(new String[] { property }, message);
	}

	private void assertStartupFails(String[] properties, String message) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage(message);
		});
	}

	private static int unusedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
