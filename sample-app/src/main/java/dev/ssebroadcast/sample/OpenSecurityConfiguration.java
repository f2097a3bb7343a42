package dev.ssebroadcast.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Without the {@code secure} profile the sample stays open, as scripts and load tools
 * expect of {@code GET /sse} and {@code POST /broadcast}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("!secure")
class OpenSecurityConfiguration {

	@Bean
	SecurityFilterChain openFilterChain(HttpSecurity http) {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

}
