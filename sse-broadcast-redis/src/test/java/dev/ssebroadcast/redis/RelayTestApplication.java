package dev.ssebroadcast.redis;

import dev.ssebroadcast.web.SseSubscriptionInterceptor;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application of nothing but auto-configuration, as each instance runs it; a stream's
 * user is taken from a test header, so that events can be sent to a user.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class RelayTestApplication {

	static final String USER_HEADER = "X-Test-User";

	@Bean
	SseSubscriptionInterceptor userFromHeader() {
		return (request, requested) -> (request.getHeader(USER_HEADER) != null)
				? requested.withUser(request.getHeader(USER_HEADER)) : requested;
	}

}
