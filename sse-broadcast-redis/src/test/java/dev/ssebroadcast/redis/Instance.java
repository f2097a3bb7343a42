package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import org.awaitility.Awaitility;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One application instance on a random port, sharing events through the given Redis.
 * Timeouts are short, so that fault tests run quickly.
 */
final class Instance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private final List<SseTestClient> clients = new ArrayList<>();

	private Instance(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	static Instance start(RedisServer redis, String keyPrefix, String... properties) {
		return start(List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port()), keyPrefix,
				properties);
	}

	/** An instance whose Redis is a socket that accepts connections and never answers. */
	static Instance start(BlackHole blackHole, String... properties) {
		return start(List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + blackHole.port()),
				"black-hole", properties);
	}

	/**
	 * Start an instance that finds Redis as {@code connection} says: through sentinels
	 * or a cluster's nodes, for example.
	 */
	static Instance start(List<String> connection, String keyPrefix, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
		all.addAll(connection);
		all.addAll(List.of("sse.broadcast.redis.key-prefix=" + keyPrefix, "sse.broadcast.redis.publish-timeout=500ms",
				"sse.broadcast.redis.reader.block-timeout=200ms", "sse.broadcast.redis.reader.backoff.min=20ms",
				"sse.broadcast.redis.reader.backoff.max=200ms", "sse.broadcast.heartbeat=200ms",
				"sse.broadcast.history.size=1000",
				// Events read from Redis arrive in bursts: a client's queue holds one.
				"sse.broadcast.client-queue-capacity=1000", "management.endpoint.health.show-details=always"));
		all.addAll(List.of(properties));
		return new Instance(new SpringApplicationBuilder(RelayTestApplication.class)
			.properties(all.toArray(String[]::new))
			.run());
	}

	int port() {
		return this.port;
	}

	SseBroadcaster broadcaster() {
		return this.context.getBean(SseBroadcaster.class);
	}

	SseRedisRelay relay() {
		return this.context.getBean(SseRedisRelay.class);
	}

	Status relayHealth() {
		return this.context.getBean("sseRelayHealthIndicator", HealthIndicator.class).health(true).getStatus();
	}

	SseTestClient connect(String path) {
		return connect(path, Map.of());
	}

	SseTestClient connect(String path, Map<String, String> headers) {
		SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + this.port + path, headers,
				SseTestClient.DEFAULT_TIMEOUT);
		this.clients.add(client);
		return client;
	}

	/** Close this instance's test clients, leaving the instance running. */
	void closeClients() {
		this.clients.forEach(SseTestClient::close);
		this.clients.clear();
	}

	/** Close this instance's test clients and wait until the broadcaster let them go. */
	void closeClientsAndAwaitGone() {
		closeClients();
		Awaitility.await("clients to be gone")
			.atMost(Duration.ofSeconds(10))
			.until(() -> broadcaster().clientCount() == 0);
	}

	@Override
	public void close() {
		closeClients();
		this.context.close();
	}

}
