package dev.ssebroadcast.actuate;

import dev.ssebroadcast.SseBroadcaster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class SseBroadcasterHealthIndicatorTests {

	@Test
	void upWhileAcceptingClients() {
		SseBroadcaster broadcaster = new SseBroadcaster();
		broadcaster.connect();
		Health health = new SseBroadcasterHealthIndicator(broadcaster).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("clients", 1);
	}

	@Test
	void outOfServiceOnceClosed() {
		SseBroadcaster broadcaster = new SseBroadcaster();
		broadcaster.close();
		Health health = new SseBroadcasterHealthIndicator(broadcaster).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("clients", 0);
	}

}
