package dev.ssebroadcast.actuate;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.OverflowPolicy;
import dev.ssebroadcast.actuate.SseConnectionsEndpoint.ConnectionDescriptor;
import dev.ssebroadcast.actuate.SseConnectionsEndpoint.ConnectionsDescriptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

class SseConnectionsEndpointRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	private final RuntimeHints hints = new RuntimeHints();

	@BeforeEach
	void registerHints() {
		new SseConnectionsEndpointRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void readOperationCanBeInvoked() {
		assertThat(this.reflection.onMethodInvocation(SseConnectionsEndpoint.class, "connections")).accepts(this.hints);
	}

	@Test
	void answerAndEachConnectionCanBeWrittenAsJson() {
		assertThat(this.reflection.onMethodInvocation(ConnectionsDescriptor.class, "disconnects")).accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(ConnectionsDescriptor.class, "connections")).accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(ConnectionDescriptor.class, "connectedSince"))
			.accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(ConnectionDescriptor.class, "overflow")).accepts(this.hints);
		assertThat(this.reflection.onType(DisconnectReason.class)).accepts(this.hints);
		assertThat(this.reflection.onType(OverflowPolicy.class)).accepts(this.hints);
	}

}
