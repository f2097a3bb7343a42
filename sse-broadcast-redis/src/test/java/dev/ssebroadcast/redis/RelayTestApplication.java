package dev.ssebroadcast.redis;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An application of nothing but auto-configuration, as each instance runs it, with
 * requests authenticated by a test header so that events can be sent to a user.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class RelayTestApplication {

	static final String USER_HEADER = "X-Test-User";

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
