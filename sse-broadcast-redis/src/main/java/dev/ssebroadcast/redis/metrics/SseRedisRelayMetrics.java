package dev.ssebroadcast.redis.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import dev.ssebroadcast.redis.RelayLagListener;
import dev.ssebroadcast.redis.SseRedisRelay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the Redis relay's counters as meters named {@code sse.relay.*}, read from the
 * relay when they are scraped.
 */
public class SseRedisRelayMetrics implements MeterBinder {

	/** The prefix of every meter. */
	public static final String PREFIX = "sse.relay";

	private final SseRedisRelay relay;

	/**
	 * Create the meters' source.
	 * @param relay the relay to measure
	 */
	public SseRedisRelayMetrics(SseRedisRelay relay) {
		this.relay = relay;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		counter(registry, "publish.failures", "Publishes that failed because Redis was unreachable or slow",
				SseRedisRelay.Status::publishFailures);
		counter(registry, "reader.reconnects", "Times the reader connected to Redis again after a failure",
				SseRedisRelay.Status::readerReconnects);
		counter(registry, "resets", "Times clients were reset because Redis lost events or the reader fell behind",
				SseRedisRelay.Status::resets);
	}

	private void counter(MeterRegistry registry, String name, String description,
			ToLongFunction<SseRedisRelay.Status> value) {
		FunctionCounter.builder(PREFIX + "." + name, this.relay, (relay) -> value.applyAsLong(relay.status()))
			.description(description)
			.register(registry);
	}

	/**
	 * A listener that times each event from publishing, on any instance, to this
	 * instance's fan-out, as {@code sse.relay.lag}.
	 * @param registry where to register the timer
	 * @return the listener to give the relay
	 */
	public static RelayLagListener lagTimer(MeterRegistry registry) {
		Timer lag = Timer.builder(PREFIX + ".lag")
			.description("Time from publishing an event to its fan-out on this instance")
			.register(registry);
		return (lagNanos) -> lag.record(lagNanos, TimeUnit.NANOSECONDS);
	}

}
