package dev.ssebroadcast.actuate;

import dev.ssebroadcast.actuate.SseConnectionsEndpoint.ConnectionsDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * Lets the {@code sse} endpoint run in a native image: Actuator invokes its read
 * operation reflectively, and Jackson writes its records (and the types they hold)
 * through their accessors. Nothing is registered without Actuator, whose types the
 * records implement.
 */
final class SseConnectionsEndpointRuntimeHints implements RuntimeHintsRegistrar {

	private static final String OPERATION_RESPONSE_BODY = "org.springframework.boot.actuate.endpoint.OperationResponseBody";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent(OPERATION_RESPONSE_BODY, classLoader)) {
			return;
		}
		hints.reflection().registerType(SseConnectionsEndpoint.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), ConnectionsDescriptor.class);
	}

}
