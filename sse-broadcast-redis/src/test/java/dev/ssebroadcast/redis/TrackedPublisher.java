package dev.ssebroadcast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.relay.SseRelayException;
import dev.ssebroadcast.test.ReceivedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread that publishes numbered events ({@code name-0}, {@code name-1}, ...) through
 * one instance until closed, and keeps what each publish was told: acknowledged, or
 * failed and how long failing took. What Redis acknowledged is what every client must
 * get, or be told with {@code sse-reset} that it cannot.
 */
final class TrackedPublisher implements AutoCloseable {

	private final String name;

	private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

	private final Thread thread;

	private volatile boolean running = true;

	private TrackedPublisher(String name, SseBroadcaster broadcaster, Duration pause) {
		this.name = name;
		this.thread = Thread.ofPlatform().name("publisher-" + name).start(() -> {
			for (int i = 0; this.running; i++) {
				String data = name + "-" + i;
				long started = System.nanoTime();
				boolean acknowledged;
				try {
					broadcaster.broadcast(data);
					acknowledged = true;
				}
				catch (SseRelayException ex) {
					acknowledged = false;
				}
				this.attempts.add(new Attempt(data, acknowledged, Duration.ofNanos(System.nanoTime() - started)));
				LockSupport.parkNanos(pause.toNanos());
			}
		});
	}

	/**
	 * Start publishing, one event per {@code pause} at most.
	 * @param name the prefix of the events' data
	 * @param broadcaster where to publish
	 * @param pause how long to wait after each publish
	 * @return the running publisher
	 */
	static TrackedPublisher start(String name, SseBroadcaster broadcaster, Duration pause) {
		return new TrackedPublisher(name, broadcaster, pause);
	}

	String name() {
		return this.name;
	}

	List<Attempt> attempts() {
		return List.copyOf(this.attempts);
	}

	long acknowledged() {
		return this.attempts.stream().filter(Attempt::acknowledged).count();
	}

	long failed() {
		return this.attempts.stream().filter((attempt) -> !attempt.acknowledged()).count();
	}

	/** How many publishes were acknowledged after the first that failed. */
	long acknowledgedAfterFailure() {
		List<Attempt> attempts = attempts();
		int firstFailure = 0;
		while (firstFailure < attempts.size() && attempts.get(firstFailure).acknowledged()) {
			firstFailure++;
		}
		return attempts.subList(firstFailure, attempts.size()).stream().filter(Attempt::acknowledged).count();
	}

	/** The longest a failed publish took to fail, or zero if none failed. */
	Duration slowestFailure() {
		return this.attempts.stream()
			.filter((attempt) -> !attempt.acknowledged())
			.map(Attempt::took)
			.max(Duration::compareTo)
			.orElse(Duration.ZERO);
	}

	/** The data of the last acknowledged event. */
	String lastAcknowledged() {
		List<Attempt> attempts = attempts();
		for (int i = attempts.size() - 1; i >= 0; i--) {
			if (attempts.get(i).acknowledged()) {
				return attempts.get(i).data();
			}
		}
		throw new IllegalStateException(this.name + " had no publish acknowledged");
	}

	/**
	 * Check one client's stream against what this publisher was told: its events in the
	 * order it published them, once each, and every acknowledged one there unless an
	 * {@code sse-reset} came between the events around it. A publish that failed may or
	 * may not have been appended: it may be there or not.
	 * @param received what the client received, once this publisher is closed and up to
	 * its last acknowledged event at least
	 */
	void assertEveryAcknowledgedEventOrReset(List<ReceivedEvent> received) {
		assertEveryAcknowledgedEventOrReset(attempts(), received);
	}

	/**
	 * Check one client's stream against what publishes were told, as
	 * {@link #assertEveryAcknowledgedEventOrReset(List)} does.
	 * @param attempts the publishes of one thread, in order
	 * @param received what the client received
	 */
	static void assertEveryAcknowledgedEventOrReset(List<Attempt> attempts, List<ReceivedEvent> received) {
		List<String> published = attempts.stream().map(Attempt::data).toList();
		int next = 0;
		boolean reset = false;
		for (ReceivedEvent event : received) {
			if (SseBroadcaster.RESET_EVENT.equals(event.event())) {
				reset = true;
				continue;
			}
			int position = published.indexOf(event.data());
			if (position < 0) {
				// Another publisher's event.
				continue;
			}
			assertThat(position).as("%s after %s, once and in order, in %s", event.data(),
					(next > 0) ? published.get(next - 1) : "nothing", received)
				.isGreaterThanOrEqualTo(next);
			if (!reset) {
				List<String> missed = acknowledgedBetween(attempts, next, position);
				assertThat(missed).as("acknowledged events missing before %s with no sse-reset, in %s", event.data(),
						received)
					.isEmpty();
			}
			next = position + 1;
			reset = false;
		}
		if (!reset) {
			assertThat(acknowledgedBetween(attempts, next, attempts.size()))
				.as("acknowledged events missing after the last received with no sse-reset, in %s", received)
				.isEmpty();
		}
	}

	private static List<String> acknowledgedBetween(List<Attempt> attempts, int from, int to) {
		List<String> acknowledged = new ArrayList<>();
		for (Attempt attempt : attempts.subList(from, to)) {
			if (attempt.acknowledged()) {
				acknowledged.add(attempt.data());
			}
		}
		return acknowledged;
	}

	/** Stop publishing and wait for the thread to end. */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(Duration.ofSeconds(10));
	}

	/**
	 * One publish.
	 *
	 * @param data the event's data
	 * @param acknowledged whether Redis acknowledged it
	 * @param took how long the call took
	 */
	record Attempt(String data, boolean acknowledged, Duration took) {

	}

}
