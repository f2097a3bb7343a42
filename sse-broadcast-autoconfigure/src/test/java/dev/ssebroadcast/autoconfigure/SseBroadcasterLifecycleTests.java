package dev.ssebroadcast.autoconfigure;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class SseBroadcasterLifecycleTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseBroadcastAutoConfiguration.class));

	@Test
	void broadcasterStaysOpenWhileTheContextIsPausedAndResumed() {
		this.contextRunner.run((context) -> {
			context.pause();
			context.restart();
			assertThat(context.getBean(SseBroadcaster.class).isClosed()).isFalse();
		});
	}

	@Test
	void streamsEndWhileTheContextIsPaused() {
		this.contextRunner.run((context) -> {
			SseClient client = context.getBean(SseBroadcaster.class).connect();
			context.pause();
			assertThat(client.isOpen()).isFalse();
		});
	}

	@Test
	void broadcasterClosesWhenTheContextStops() {
		this.contextRunner.run((context) -> {
			context.stop();
			assertThat(context.getBean(SseBroadcaster.class).isClosed()).isTrue();
		});
	}

}
