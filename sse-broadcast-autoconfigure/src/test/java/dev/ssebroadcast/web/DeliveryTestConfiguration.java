package dev.ssebroadcast.web;

import java.io.IOException;
import java.security.Principal;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates requests by a test header, and guards subscriptions: topic
 * {@code secret} is refused and topic {@code hidden} silently removed.
 */
@TestConfiguration(proxyBeanMethods = false)
class DeliveryTestConfiguration {

	static final String USER_HEADER = "X-Test-User";

	@Bean
	SseSubscriptionInterceptor guard() {
		return (request, requested) -> {
			if (requested.topics().contains("secret")) {
				return null;
			}
			Set<String> visible = requested.topics()
				.stream()
				.filter((topic) -> !topic.equals("hidden"))
				.collect(Collectors.toSet());
			return requested.withTopics(visible);
		};
	}

	@Bean
	OncePerRequestFilter testAuthentication() {
		return new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				String user = request.getHeader(USER_HEADER);
				if (user == null) {
					chain.doFilter(request, response);
					return;
				}
				chain.doFilter(new HttpServletRequestWrapper(request) {

					@Override
					public Principal getUserPrincipal() {
						return () -> user;
					}

				}, response);
			}

			@Override
			protected boolean shouldNotFilterAsyncDispatch() {
				return false;
			}

		};
	}

}
