package dev.ssebroadcast.actuate;

import dev.ssebroadcast.SseBroadcaster;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a broadcaster: {@code UP} with the number of connected clients while it
 * accepts clients, {@code OUT_OF_SERVICE} once it is closed, as it is while the
 * application shuts down, so that a load balancer stops sending new streams here.
 */
public class SseBroadcasterHealthIndicator extends AbstractHealthIndicator {

	private final SseBroadcaster broadcaster;

	/**
	 * Create the indicator.
	 * @param broadcaster the broadcaster to report on
	 */
	public SseBroadcasterHealthIndicator(SseBroadcaster broadcaster) {
		super("Server-Sent Events health check failed");
		this.broadcaster = broadcaster;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (this.broadcaster.isClosed()) {
			builder.outOfService();
		}
		else {
			builder.up();
		}
		builder.withDetail("clients", this.broadcaster.clientCount());
	}

}
