package dev.ssebroadcast.metrics;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseDeliveryListener;
import dev.ssebroadcast.SseStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes a broadcaster's counters as meters named {@code sse.*}. Every meter reads the
 * broadcaster's own counters when it is scraped, so nothing is added to the publishing
 * path. Topic tags are limited to the topics named up front, so their number stays
 * bounded whatever clients ask for.
 */
public class SseBroadcasterMetrics implements MeterBinder {

	/** The prefix of every meter. */
	public static final String PREFIX = "sse";

	private final SseBroadcaster broadcaster;

	private final Collection<String> taggedTopics;

	/**
	 * Create the meters' source.
	 * @param broadcaster the broadcaster to measure
	 * @param taggedTopics the topics that get a subscriber gauge of their own
	 */
	public SseBroadcasterMetrics(SseBroadcaster broadcaster, Collection<String> taggedTopics) {
		this.broadcaster = broadcaster;
		this.taggedTopics = List.copyOf(taggedTopics);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(PREFIX + ".clients", this.broadcaster, SseBroadcaster::clientCount)
			.description("Clients connected now")
			.register(registry);
		for (String topic : this.taggedTopics) {
			Gauge.builder(PREFIX + ".topic.subscribers", this.broadcaster, (b) -> b.subscriberCount(topic))
				.description("Clients connected now that subscribe to the topic")
				.tag("topic", topic)
				.register(registry);
		}
		counter(registry, "events.published", "Events accepted for sending", SseStatistics::published);
		counter(registry, "events.delivered", "Events written to clients, each client counted once",
				SseStatistics::delivered);
		counter(registry, "events.dropped", "Events a client lost to its drop-oldest or drop-newest overflow policy",
				SseStatistics::dropped);
		for (DisconnectReason reason : DisconnectReason.values()) {
			FunctionCounter
				.builder(PREFIX + ".clients.disconnected", this.broadcaster,
						(b) -> b.statistics().disconnects(reason))
				.description("Clients whose stream ended")
				.tag("reason", reason.name().toLowerCase())
				.register(registry);
		}
		Gauge.builder(PREFIX + ".client.queue.high.water", this.broadcaster,
				(b) -> b.statistics().queueHighWaterMark())
			.description("Most events that waited in one client's queue at once, at most the queue capacity")
			.register(registry);
	}

	private void counter(MeterRegistry registry, String name, String description, StatisticsValue value) {
		FunctionCounter.builder(PREFIX + "." + name, this.broadcaster, (b) -> value.of(b.statistics()))
			.description(description)
			.register(registry);
	}

	/**
	 * A listener that times each event from publishing to the flush that delivered it,
	 * as {@code sse.delivery.lag}.
	 * @param registry where to register the timer
	 * @return the listener to give the broadcaster
	 */
	public static SseDeliveryListener deliveryLagTimer(MeterRegistry registry) {
		Timer lag = Timer.builder(PREFIX + ".delivery.lag")
			.description("Time from publishing an event to writing it to a client")
			.register(registry);
		return (lagNanos) -> lag.record(lagNanos, TimeUnit.NANOSECONDS);
	}

	@FunctionalInterface
	private interface StatisticsValue {

		double of(SseStatistics statistics);

	}

}
