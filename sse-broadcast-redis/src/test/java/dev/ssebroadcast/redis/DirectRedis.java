package dev.ssebroadcast.redis;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * A {@code redis-server} and a client of its own, for tests of the relay's parts that
 * talk to Redis without an application around them.
 */
final class DirectRedis implements AutoCloseable {

	private final RedisServer server = RedisServer.start();

	private final RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", this.server.port()));

	RedisServer server() {
		return this.server;
	}

	String command(String... arguments) {
		return this.server.command(arguments);
	}

	RelayConnection connection() throws InterruptedException {
		return RelayConnection.open(() -> this.client.connect(ByteArrayCodec.INSTANCE), Duration.ofSeconds(5),
				Duration.ofSeconds(5));
	}

	@Override
	public void close() {
		this.client.shutdown();
		this.server.close();
	}

}
