package dev.ssebroadcast.redis;

import java.util.List;

/** Redis servers started for a test, and how an application finds them. */
interface RedisTopology extends AutoCloseable {

	/** The {@code spring.data.redis.*} properties that connect an application to them. */
	List<String> connectionProperties();

	/** Stop every server. */
	@Override
	void close();

}
