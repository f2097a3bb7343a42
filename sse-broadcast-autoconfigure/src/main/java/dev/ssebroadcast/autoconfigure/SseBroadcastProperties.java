package dev.ssebroadcast.autoconfigure;

import java.time.Duration;

import dev.ssebroadcast.SseBroadcaster;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Server-Sent Events broadcaster and its endpoint. Invalid values
 * are rejected while binding, so the application fails to start with a message that
 * names the property.
 */
@ConfigurationProperties("sse.broadcast")
public class SseBroadcastProperties {

	/**
	 * Whether to set up the broadcaster and its endpoint.
	 */
	private boolean enabled = true;

	/**
	 * Path of the endpoint that streams events. Must start with '/'.
	 */
	private String path = "/sse";

	/**
	 * Idle time after which a client is sent a heartbeat comment; a dead connection is
	 * found and dropped by that write. Must be positive.
	 */
	private Duration heartbeat = SseBroadcaster.DEFAULT_HEARTBEAT;

	/**
	 * Number of events that may wait for one client. A client whose queue is full when
	 * an event arrives is disconnected as too slow. Must be at least 1.
	 */
	private int clientQueueCapacity = SseBroadcaster.DEFAULT_CLIENT_QUEUE_CAPACITY;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		if (path == null || !path.startsWith("/")) {
			throw new IllegalArgumentException("sse.broadcast.path must start with '/', but was '" + path + "'");
		}
		this.path = path;
	}

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("sse.broadcast.heartbeat must be positive, but was " + heartbeat);
		}
		this.heartbeat = heartbeat;
	}

	public int getClientQueueCapacity() {
		return this.clientQueueCapacity;
	}

	public void setClientQueueCapacity(int clientQueueCapacity) {
		if (clientQueueCapacity < 1) {
			throw new IllegalArgumentException(
					"sse.broadcast.client-queue-capacity must be at least 1, but was " + clientQueueCapacity);
		}
		this.clientQueueCapacity = clientQueueCapacity;
	}

}
