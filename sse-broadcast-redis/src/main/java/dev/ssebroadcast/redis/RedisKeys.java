package dev.ssebroadcast.redis;

import java.nio.charset.StandardCharsets;

/**
 * The keys the relay uses, all under one prefix in braces: a Redis Cluster hash tag, so
 * that they share a slot and one script can touch them together.
 *
 * @param events the stream of events
 * @param position the hash of the current epoch and the last sequence number given out
 * @param nodes the counter that numbers instances, for their client ids
 */
record RedisKeys(String events, String position, String nodes) {

	static RedisKeys of(String prefix) {
		String tag = "{" + prefix + "}:";
		return new RedisKeys(tag + "events", tag + "position", tag + "nodes");
	}

	static byte[] bytes(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

}
