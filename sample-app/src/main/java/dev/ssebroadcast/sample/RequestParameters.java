package dev.ssebroadcast.sample;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Request parameters read as sent, refusing what Spring MVC's binding would let through
 * or turn into a server error.
 */
final class RequestParameters {

	private RequestParameters() {
	}

	/**
	 * The one value of a parameter: a repeated parameter is refused rather than joined
	 * with commas.
	 * @param request the request
	 * @param name the parameter's name
	 * @return its value, or {@code null} if absent
	 * @throws IllegalArgumentException if it is repeated, or if the parameters cannot be
	 * read at all
	 */
	static @Nullable String single(HttpServletRequest request, String name) {
		String[] values;
		try {
			values = request.getParameterValues(name);
		}
		catch (IllegalStateException ex) {
			// How Tomcat refuses more parameters than it allows, or a form larger than
			// server.tomcat.max-http-form-post-size.
			throw new IllegalArgumentException("The request's parameters cannot be read: too many, too large or malformed");
		}
		if (values != null && values.length > 1) {
			throw new IllegalArgumentException("Give " + name + " at most once");
		}
		return (values != null) ? values[0] : null;
	}

}
