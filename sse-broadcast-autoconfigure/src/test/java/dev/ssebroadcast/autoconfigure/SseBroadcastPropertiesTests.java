package dev.ssebroadcast.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.GatedOutputStream;
import dev.ssebroadcast.OverflowPolicy;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseBroadcaster.TooManyClientsException;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseEvent;
import dev.ssebroadcast.SseSubscription;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Each {@code sse.broadcast.*} property, seen in what the broadcaster does, and each
 * invalid value, seen in the startup failure.
 */
class SseBroadcastPropertiesTests {

	private static final Pattern README_ROW = Pattern.compile("^\\| `(sse\\.broadcast\\.[^`]+)` \\| ([^|]+?) \\|",
			Pattern.MULTILINE);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseBroadcastAutoConfiguration.class));

	@Test
	void clientQueueCapacitySetsWhenAClientOverflows() {
		withBroadcaster("sse.broadcast.client-queue-capacity=3", (broadcaster) -> {
			SseClient stalled = broadcaster.connect();
			for (int i = 0; i < 3; i++) {
				broadcaster.broadcast("fits");
			}
			assertThat(stalled.isOpen()).as("open with a full queue").isTrue();
			broadcaster.broadcast("one too many");
			assertThat(stalled.disconnectReason()).isEqualTo(DisconnectReason.OVERFLOW);
		});
	}

	@Test
	void heartbeatSetsWhenAnIdleStreamHearsFromTheServer() {
		withBroadcaster("sse.broadcast.heartbeat=100ms", (broadcaster) -> {
			Stream stream = Stream.of(broadcaster.connect());
			await().atMost(Duration.ofSeconds(2)).until(() -> stream.text().contains(": heartbeat\n\n"));
			stream.close();
		});
	}

	@Test
	void writeTimeoutSetsWhenAStuckWriteDisconnects() {
		withBroadcaster("sse.broadcast.write-timeout=100ms", (broadcaster) -> {
			SseClient client = broadcaster.connect();
			Thread streaming = Thread.ofVirtual().start(() -> client.streamTo(new GatedOutputStream(), () -> {
			}));
			await().atMost(Duration.ofSeconds(2)).until(() -> !client.isOpen());
			assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.WRITE_ERROR);
			streaming.join(Duration.ofSeconds(5));
			assertThat(streaming.isAlive()).as("stream thread alive").isFalse();
		});
	}

	@Test
	void retryIsSentWhenAClientConnects() {
		withBroadcaster("sse.broadcast.retry=3s", (broadcaster) -> {
			Stream stream = Stream.of(broadcaster.connect());
			await().until(() -> stream.text().contains(": connected"));
			assertThat(stream.text()).startsWith("retry: 3000\n");
			stream.close();
		});
	}

	@Test
	void maxConnectionLifetimeEndsStreamsWithARetry() {
		withBroadcaster(List.of("sse.broadcast.max-connection-lifetime=200ms", "sse.broadcast.retry=3s"),
				(broadcaster) -> {
					SseClient client = broadcaster.connect();
					Stream stream = Stream.of(client);
					await().atMost(Duration.ofSeconds(2)).until(() -> !client.isOpen());
					assertThat(client.disconnectReason()).isEqualTo(DisconnectReason.LIFETIME_ENDED);
					assertThat(stream.text()).endsWith("retry: 3000\n: reconnect\n\n");
					stream.close();
				});
	}

	@Test
	void shutdownReconnectSpreadBoundsTheRetryOfStreamsEndedByClose() {
		withBroadcaster("sse.broadcast.shutdown.reconnect-spread=50ms", (broadcaster) -> {
			SseClient client = broadcaster.connect();
			Stream stream = Stream.of(client);
			await().until(() -> stream.text().contains(": connected"));
			broadcaster.close();
			await().atMost(Duration.ofSeconds(2)).until(() -> stream.text().endsWith(": reconnect\n\n"));
			assertThat(stream.text()).matches("(?s).*retry: [1-4]?[0-9]\n: reconnect\n\n");
			stream.close();
		});
	}

	@Test
	void maxEventSizeRejectsLargerEvents() {
		withBroadcaster("sse.broadcast.max-event-size=1KB", (broadcaster) -> {
			broadcaster.broadcast("x".repeat(1000));
			assertThatIllegalArgumentException().isThrownBy(() -> broadcaster.broadcast("x".repeat(1100)))
				.withMessageContaining("more than the 1024 allowed");
		});
	}

	@Test
	void maxClientsRefusesOneMore() {
		withBroadcaster("sse.broadcast.max-clients=2", (broadcaster) -> {
			broadcaster.connect();
			broadcaster.connect();
			assertThatExceptionOfType(TooManyClientsException.class).isThrownBy(broadcaster::connect);
		});
	}

	@Test
	void maxTopicsPerClientRefusesMoreTopics() {
		withBroadcaster("sse.broadcast.max-topics-per-client=1", (broadcaster) -> {
			broadcaster.connect(SseSubscription.topics(List.of("a")), null);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> broadcaster.connect(SseSubscription.topics(List.of("a", "b")), null))
				.withMessage("At most 1 topics per client are allowed, but 2 were requested");
		});
	}

	@Test
	void overflowSetsWhatAFullQueueCosts() {
		withBroadcaster(List.of("sse.broadcast.overflow=drop-newest", "sse.broadcast.client-queue-capacity=2"),
				(broadcaster) -> {
					SseClient stalled = broadcaster.connect();
					assertThat(stalled.overflow()).isEqualTo(OverflowPolicy.DROP_NEWEST);
					broadcaster.broadcast(SseEvent.of("1").withId("1"));
					broadcaster.broadcast(SseEvent.of("2").withId("2"));
					broadcaster.broadcast(SseEvent.of("3").withId("3"));
					assertThat(stalled.isOpen()).isTrue();
					assertThat(stalled.dropped()).isEqualTo(1);
					Stream stream = Stream.of(stalled);
					await().until(() -> stream.text().contains("data: 2"));
					assertThat(stream.text()).doesNotContain("data: 3");
					stream.close();
				});
	}

	@Test
	void topicOverflowAppliesToTheTopicsSubscribers() {
		withBroadcaster("sse.broadcast.topics.prices.overflow=drop-oldest", (broadcaster) -> {
			assertThat(broadcaster.connect(SseSubscription.topics(List.of("prices")), null).overflow())
				.isEqualTo(OverflowPolicy.DROP_OLDEST);
			assertThat(broadcaster.connect(SseSubscription.topics(List.of("news")), null).overflow())
				.isEqualTo(OverflowPolicy.DISCONNECT);
		});
	}

	@Test
	void historySizeBoundsTheReplay() {
		withBroadcaster("sse.broadcast.history.size=2", (broadcaster) -> {
			broadcaster.broadcast(SseEvent.of("a").withId("a"));
			broadcaster.broadcast(SseEvent.of("b").withId("b"));
			broadcaster.broadcast(SseEvent.of("c").withId("c"));
			assertThat(replayAfter(broadcaster, "b")).contains("data: c");
			assertThat(replayAfter(broadcaster, "a")).as("replay of an event no longer kept")
				.contains("event: " + SseBroadcaster.RESET_EVENT)
				.doesNotContain("data: b");
		});
	}

	@Test
	void historyMaxAgeBoundsTheReplay() {
		withBroadcaster("sse.broadcast.history.max-age=100ms", (broadcaster) -> {
			broadcaster.broadcast(SseEvent.of("a").withId("a"));
			broadcaster.broadcast(SseEvent.of("b").withId("b"));
			await("kept events to age").atMost(Duration.ofSeconds(2))
				.until(() -> replayAfter(broadcaster, "a").contains("event: " + SseBroadcaster.RESET_EVENT));
		});
	}

	@Test
	void historyMaxBytesBoundsTheReplay() {
		withBroadcaster("sse.broadcast.history.max-bytes=3KB", (broadcaster) -> {
			String kilobyte = "x".repeat(1000);
			broadcaster.broadcast(SseEvent.of(kilobyte).withId("a"));
			broadcaster.broadcast(SseEvent.of(kilobyte).withId("b"));
			broadcaster.broadcast(SseEvent.of("c").withId("c"));
			assertThat(replayAfter(broadcaster, "b")).contains("data: c");
			assertThat(replayAfter(broadcaster, "a")).as("replay of an event evicted for the total size")
				.contains("event: " + SseBroadcaster.RESET_EVENT)
				.doesNotContain("id: b");
		});
	}

	@Test
	void minCarrierThreadsRaisesTheSchedulersCarriers() {
		int before = CarrierThreads.current();
		this.contextRunner.withPropertyValues("sse.broadcast.min-carrier-threads=" + (before + 1))
			.run((context) -> assertThat(CarrierThreads.current()).isEqualTo(before + 1));
	}

	@Test
	void invalidValuesFailStartupNamingTheProperty() {
		assertInvalid("sse.broadcast.client-queue-capacity=0",
				"sse.broadcast.client-queue-capacity must be at least 1, but was 0");
		assertInvalid("sse.broadcast.heartbeat=0s", "sse.broadcast.heartbeat must be positive, but was PT0S");
		assertInvalid("sse.broadcast.heartbeat=-1s", "sse.broadcast.heartbeat must be positive, but was PT-1S");
		assertInvalid("sse.broadcast.write-timeout=0s", "sse.broadcast.write-timeout must be positive, but was PT0S");
		assertInvalid("sse.broadcast.retry=0s", "sse.broadcast.retry must be positive, but was PT0S");
		assertInvalid("sse.broadcast.max-connection-lifetime=0s",
				"sse.broadcast.max-connection-lifetime must be positive, but was PT0S");
		assertInvalid("sse.broadcast.max-event-size=0B",
				"sse.broadcast.max-event-size must be at least 1 byte, but was 0");
		assertInvalid("sse.broadcast.max-event-size=2GB",
				"sse.broadcast.max-event-size must be less than 2GB, but was 2147483648B");
		assertInvalid("sse.broadcast.max-clients=-2",
				"sse.broadcast.max-clients must be at least 1, or -1 for no limit, but was -2");
		assertInvalid("sse.broadcast.max-clients=0",
				"sse.broadcast.max-clients must be at least 1, or -1 for no limit, but was 0");
		assertInvalid("sse.broadcast.max-topics-per-client=0",
				"sse.broadcast.max-topics-per-client must be at least 1, but was 0");
		assertInvalid("sse.broadcast.history.size=-1", "sse.broadcast.history.size must be at least 0, but was -1");
		assertInvalid("sse.broadcast.history.max-age=0s",
				"sse.broadcast.history.max-age must be positive, but was PT0S");
		assertInvalid("sse.broadcast.min-carrier-threads=-1",
				"sse.broadcast.min-carrier-threads must be 0 or more, but was -1");
		assertInvalid("sse.broadcast.history.max-bytes=0B",
				"sse.broadcast.history.max-bytes must be at least 1 byte, but was 0");
		assertInvalid("sse.broadcast.shutdown.reconnect-spread=-1s",
				"sse.broadcast.shutdown.reconnect-spread must be zero or at least 1ms, but was PT-1S");
		this.contextRunner.withPropertyValues("sse.broadcast.topics[bad topic].overflow=drop-oldest")
			.run((context) -> assertThat(invalidProperty(context)).satisfies((invalid) -> {
				assertThat(invalid.getName()).isEqualTo("sse.broadcast.topics");
				assertThat(invalid.getValue()).isEqualTo("bad topic");
				assertThat(invalid.getReason()).startsWith("Invalid topic 'bad topic'");
			}));
	}

	@Test
	void pathWithoutLeadingSlashFailsStartup() {
		this.contextRunner.withPropertyValues("sse.broadcast.path=events").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("sse.broadcast.path must start with '/', but was 'events'");
		});
	}

	@Test
	void readmeTableListsEveryPropertyWithItsDefault() throws IOException {
		Map<String, String> documented = new LinkedHashMap<>();
		Matcher row = README_ROW.matcher(Files.readString(Path.of("..", "README.md")));
		while (row.find()) {
			documented.put(row.group(1), row.group(2));
		}
		JsonNode metadata = JsonMapper.builder()
			.build()
			.readTree(new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream());
		for (JsonNode property : metadata.path("properties")) {
			String name = property.path("name").asString();
			if (name.startsWith("sse.broadcast.")) {
				assertThat(documented.keySet().stream().anyMatch((documentedName) -> documentedName.startsWith(name)))
					.as("%s in the README's table", name)
					.isTrue();
			}
		}
		SseBroadcastProperties defaults = new SseBroadcastProperties();
		BeanWrapper properties = new BeanWrapperImpl(defaults);
		Map<String, String> stated = new LinkedHashMap<>();
		documented.forEach((name, value) -> {
			if (name.contains("<")) {
				return;
			}
			if (value.equals("unset")) {
				assertThat(properties.getPropertyValue(beanPath(name))).as("default of %s", name).isNull();
			}
			else {
				stated.put(name, value.replace("`", ""));
			}
		});
		SseBroadcastProperties fromReadme = new Binder(new MapConfigurationPropertySource(stated))
			.bind("sse.broadcast", SseBroadcastProperties.class)
			.get();
		assertThat(fromReadme).as("the README's defaults, bound").usingRecursiveComparison().isEqualTo(defaults);
	}

	@Test
	void ideMetadataStatesTheRealDefaults() throws IOException {
		JsonNode metadata = JsonMapper.builder()
			.build()
			.readTree(new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream());
		Map<String, String> stated = new LinkedHashMap<>();
		for (JsonNode property : metadata.path("properties")) {
			String name = property.path("name").asString();
			if (name.startsWith("sse.broadcast.") && property.has("defaultValue")) {
				stated.put(name, property.path("defaultValue").asString());
			}
		}
		assertThat(stated).as("defaults in the metadata").containsKeys("sse.broadcast.heartbeat",
				"sse.broadcast.client-queue-capacity", "sse.broadcast.history.max-age");
		SseBroadcastProperties fromMetadata = new Binder(new MapConfigurationPropertySource(stated))
			.bind("sse.broadcast", SseBroadcastProperties.class)
			.get();
		assertThat(fromMetadata).as("the metadata's defaults, bound")
			.usingRecursiveComparison()
			.isEqualTo(new SseBroadcastProperties());
	}

	private static String beanPath(String property) {
		String path = property.substring("sse.broadcast.".length());
		return Pattern.compile("-([a-z])").matcher(path).replaceAll((match) -> match.group(1).toUpperCase());
	}

	private void withBroadcaster(String property, BroadcasterCheck check) {
		withBroadcaster(List.of(property), check);
	}

	private void withBroadcaster(List<String> properties, BroadcasterCheck check) {
		this.contextRunner.withPropertyValues(properties.toArray(String[]::new))
			.run((context) -> check.accept(context.getBean(SseBroadcaster.class)));
	}

	private void assertInvalid(String property, String reason) {
		String name = property.substring(0, property.indexOf('='));
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertThat(invalidProperty(context)).satisfies((invalid) -> {
				assertThat(invalid.getName()).isEqualTo(name);
				assertThat(invalid.getReason()).isEqualTo(reason);
			}));
	}

	private static InvalidConfigurationPropertyValueException invalidProperty(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		while (failure != null && !(failure instanceof InvalidConfigurationPropertyValueException)) {
			failure = failure.getCause();
		}
		assertThat(failure).as("an invalid property among the causes of %s", context.getStartupFailure())
			.isNotNull();
		return (InvalidConfigurationPropertyValueException) failure;
	}

	/**
	 * What a client that reconnects with {@code lastEventId} is sent first.
	 */
	private static String replayAfter(SseBroadcaster broadcaster, String lastEventId) {
		Stream stream = Stream.of(broadcaster.connect(SseSubscription.everyone(), lastEventId));
		await().until(() -> stream.text().contains(": connected"));
		String text = stream.text();
		stream.close();
		return text;
	}

	@FunctionalInterface
	private interface BroadcasterCheck {

		void accept(SseBroadcaster broadcaster) throws Exception;

	}

	/**
	 * A client streamed into memory by a thread of its own.
	 */
	private record Stream(SseClient client, ByteArrayOutputStream out, Thread thread) {

		static Stream of(SseClient client) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			Thread thread = Thread.ofVirtual().start(() -> client.streamTo(out, () -> {
			}));
			return new Stream(client, out, thread);
		}

		String text() {
			return this.out.toString(StandardCharsets.UTF_8);
		}

		void close() {
			this.client.close();
			try {
				this.thread.join(Duration.ofSeconds(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
