package dev.ssebroadcast.sample;

import java.time.Duration;

import dev.ssebroadcast.web.SseSubscriptionInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The {@code secure} profile: streams need a login, each user gets their own targeted
 * events, only publishers may {@code POST /broadcast}, and only admins may subscribe to
 * the {@code admin} topic, notify users, or see the actuator's details. Demo users
 * (password as the name): alice and bob, who may only stream, and admin, who may do
 * everything.
 * <p>
 * With {@code spring.security.oauth2.resourceserver.jwt.public-key-location} set, a
 * stream may also be opened with {@code Authorization: Bearer <JWT>} signed by that
 * key, with roles from its {@code roles} claim: the stream then ends at the token's
 * {@code exp}, with a last {@code sse-expired} event.
 */
@Configuration(proxyBeanMethods = false)
@Profile("secure")
class SecureConfiguration {

	static final String ADMIN_TOPIC = "admin";

	/** May publish anything to anyone: any topic, any event name. */
	static final String PUBLISHER = "PUBLISHER";

	static final String ADMIN = "ADMIN";

	@Bean
	SecurityFilterChain secureFilterChain(HttpSecurity http, ObjectProvider<JwtDecoder> jwtDecoder) {
		if (jwtDecoder.getIfAvailable() != null) {
			http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()));
		}
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
				.permitAll()
				.requestMatchers(EndpointRequest.toAnyEndpoint())
				.hasRole(ADMIN)
				.requestMatchers("/broadcast")
				.hasRole(PUBLISHER)
				.requestMatchers("/notify/**")
				.hasRole(ADMIN)
				.anyRequest()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			// Streams are long-lived and authenticated on every request: no session to keep.
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	/**
	 * The demo users, as a plain {@link UserDetailsService}. Spring Security re-encodes a
	 * password with BCrypt after its first login when the user store can take the new
	 * hash ({@code InMemoryUserDetailsManager} can); HTTP Basic checks the password on
	 * every request, so every stream opened afterwards would cost a BCrypt check, about
	 * a tenth of a second of CPU. A reconnect storm of a thousand logged-in browsers then
	 * takes minutes of CPU.
	 */
	@Bean
	UserDetailsService users() {
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}alice").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob").roles("USER").build(),
				User.withUsername("admin").password("{noop}admin").roles("USER", PUBLISHER, ADMIN).build());
		return users::loadUserByUsername;
	}

	/**
	 * A token is refused from the second its {@code exp} passes, as its stream ends
	 * then: with the default minute of clock skew, a browser's reconnect would be let in
	 * again, and ended again at once, for up to a minute.
	 */
	@Bean
	OAuth2TokenValidator<Jwt> expiresAtExp() {
		return new JwtTimestampValidator(Duration.ZERO);
	}

	@Bean
	SseSubscriptionInterceptor adminTopicForAdminsOnly() {
		return (request, requested) -> (requested.topics().contains(ADMIN_TOPIC) && !request.isUserInRole(ADMIN))
				? null : requested;
	}

}
