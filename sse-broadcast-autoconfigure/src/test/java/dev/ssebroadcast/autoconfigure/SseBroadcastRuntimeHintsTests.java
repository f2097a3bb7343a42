package dev.ssebroadcast.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

class SseBroadcastRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void propertiesAndTheirGroupsCanBeBound() throws NoSuchMethodException {
		new SseBroadcastRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		assertThat(this.reflection.onConstructorInvocation(SseBroadcastProperties.class.getDeclaredConstructor()))
			.accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(SseBroadcastProperties.class, "setHeartbeat")).accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(SseBroadcastProperties.class, "getHistory")).accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(SseBroadcastProperties.History.class, "setMaxAge"))
			.accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(SseBroadcastProperties.Topic.class, "setOverflow"))
			.accepts(this.hints);
	}

	@Test
	void registrarsAreListedInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class).asList())
			.hasAtLeastOneElementOfType(SseBroadcastRuntimeHints.class)
			.anyMatch((registrar) -> registrar.getClass().getName().equals("dev.ssebroadcast.actuate.SseConnectionsEndpointRuntimeHints"));
	}

	@Test
	void environmentPostProcessorCanBeCreatedFromSpringFactories() throws NoSuchMethodException {
		AotServices.factories()
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(this.hints, getClass().getClassLoader()));
		assertThat(this.reflection
			.onConstructorInvocation(VirtualThreadsEnvironmentPostProcessor.class.getDeclaredConstructor()))
			.accepts(this.hints);
	}

}
