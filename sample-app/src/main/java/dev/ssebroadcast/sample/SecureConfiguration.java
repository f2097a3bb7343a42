package dev.ssebroadcast.sample;

import dev.ssebroadcast.web.SseSubscriptionInterceptor;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The {@code secure} profile: streams need a login, each user gets their own targeted
 * events, and only admins may subscribe to the {@code admin} topic or notify users.
 * Demo users: alice, bob (password as the name) and admin.
 */
@Configuration(proxyBeanMethods = false)
@Profile("secure")
class SecureConfiguration {

	static final String ADMIN_TOPIC = "admin";

	@Bean
	SecurityFilterChain secureFilterChain(HttpSecurity http) {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
				.permitAll()
				.requestMatchers(EndpointRequest.toAnyEndpoint())
				.hasRole("ADMIN")
				.requestMatchers("/notify/**")
				.hasRole("ADMIN")
				.anyRequest()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			// Streams are long-lived and authenticated on every request: no session to keep.
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}alice").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob").roles("USER").build(),
				User.withUsername("admin").password("{noop}admin").roles("USER", "ADMIN").build());
	}

	@Bean
	SseSubscriptionInterceptor adminTopicForAdminsOnly() {
		return (request, requested) -> (requested.topics().contains(ADMIN_TOPIC) && !request.isUserInRole("ADMIN"))
				? null : requested;
	}

}
