package dev.ssebroadcast.redis.actuate;

import dev.ssebroadcast.redis.SseRedisRelay;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the Redis relay: {@code DOWN} while its reader cannot read the stream or the
 * last publish failed (until Redis answers again), {@code UP} otherwise; with where Redis
 * is, the stream, the last event delivered here and its lag.
 */
public class SseRedisRelayHealthIndicator extends AbstractHealthIndicator {

	private final SseRedisRelay relay;

	/**
	 * Create the indicator.
	 * @param relay the relay to report on
	 */
	public SseRedisRelayHealthIndicator(SseRedisRelay relay) {
		super("Redis relay health check failed");
		this.relay = relay;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		SseRedisRelay.Status status = this.relay.status();
		if (status.isHealthy()) {
			builder.up();
		}
		else {
			builder.down();
		}
		builder.withDetail("address", status.address()).withDetail("stream", status.stream());
		if (status.readerError() != null) {
			builder.withDetail("readerError", status.readerError());
		}
		if (status.publishError() != null) {
			builder.withDetail("publishError", status.publishError());
		}
		if (status.lastDelivered() != null) {
			builder.withDetail("lastDelivered", status.lastDelivered())
				.withDetail("lagMillis", status.lag().toNanos() / 1e6);
		}
	}

}
