package dev.ssebroadcast.redis;

import java.util.List;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise every fault test checks: a client gets every event, or is told with
 * {@code sse-reset} where some were skipped.
 */
final class ResetAssertions {

	private ResetAssertions() {
	}

	/**
	 * Every event in published order, except where an {@code sse-reset} says that some
	 * were skipped: never a gap without one; and the last one.
	 */
	static void assertResetOrComplete(List<ReceivedEvent> received, List<String> published) {
		int next = 0;
		boolean resetSeen = false;
		for (ReceivedEvent event : received) {
			if (SseBroadcaster.RESET_EVENT.equals(event.event())) {
				resetSeen = true;
				continue;
			}
			int position = published.indexOf(event.data());
			String shown = event.data().substring(0, Math.min(20, event.data().length()));
			if (resetSeen) {
				assertThat(position).as("%s after a reset", shown).isGreaterThanOrEqualTo(next);
			}
			else {
				assertThat(position).as("%s with no reset before it", shown).isEqualTo(next);
			}
			next = position + 1;
			resetSeen = false;
		}
		assertThat(next).as("the last event").isEqualTo(published.size());
	}

}
