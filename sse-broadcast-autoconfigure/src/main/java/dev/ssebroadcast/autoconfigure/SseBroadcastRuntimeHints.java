package dev.ssebroadcast.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * Lets {@link SseBroadcastProperties} and its nested groups be bound in a native image,
 * where the binder reaches their constructors and setters only through hints.
 */
final class SseBroadcastRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(SseBroadcastProperties.class).registerHints(hints, classLoader);
	}

}
