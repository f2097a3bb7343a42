package dev.ssebroadcast.redis;

import java.util.List;
import java.util.stream.Collectors;

/** Redis servers started for a test, and how an application finds them. */
interface RedisTopology extends AutoCloseable {

	/** The {@code spring.data.redis.*} properties that connect an application to them. */
	List<String> connectionProperties();

	/**
	 * The servers' addresses as Boot's properties list them.
	 * @param servers the servers
	 * @return {@code host:port} of each, separated by commas
	 */
	static String addresses(List<RedisServer> servers) {
		return servers.stream().map((server) -> "127.0.0.1:" + server.port()).collect(Collectors.joining(","));
	}

	/** Stop every server. */
	@Override
	void close();

}
