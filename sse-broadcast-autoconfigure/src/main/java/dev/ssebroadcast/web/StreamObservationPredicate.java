package dev.ssebroadcast.web;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Keeps stream requests out of request observations such as
 * {@code http.server.requests}. A stream lasts as long as the client stays, so its
 * duration would swamp the application's request latencies, and an observation held
 * open for every stream costs several kilobytes each. The {@code sse.*} meters describe
 * streams instead.
 */
public class StreamObservationPredicate implements ObservationPredicate {

	private final String path;

	/**
	 * Create the predicate for the stream endpoint at {@code path}.
	 * @param path the endpoint's path within the application
	 */
	public StreamObservationPredicate(String path) {
		this.path = path;
	}

	@Override
	public boolean test(String name, Observation.Context context) {
		HttpServletRequest request = (context instanceof ServerRequestObservationContext server) ? server.getCarrier()
				: currentRequest();
		return request == null || !isStream(request);
	}

	// Asked for every observation of every request: compares in place, allocates nothing.
	private boolean isStream(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		return uri != null && uri.length() == contextPath.length() + this.path.length()
				&& uri.startsWith(this.path, contextPath.length()) && uri.startsWith(contextPath);
	}

	// Observations started by filters, such as Spring Security's, on the request's thread.
	private static @Nullable HttpServletRequest currentRequest() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest() : null;
	}

}
