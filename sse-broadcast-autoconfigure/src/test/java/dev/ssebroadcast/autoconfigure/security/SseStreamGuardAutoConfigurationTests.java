package dev.ssebroadcast.autoconfigure.security;

import java.time.Instant;
import java.util.List;

import dev.ssebroadcast.security.AuthenticationExpiryGuard;
import dev.ssebroadcast.security.OAuth2TokenExpiry;
import dev.ssebroadcast.security.SseAuthenticationExpiry;
import dev.ssebroadcast.web.SessionStreamGuard;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which stream guards are set up, with and without Spring Security.
 */
class SseStreamGuardAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseStreamGuardAutoConfiguration.class));

	@Test
	void sessionAndAuthenticationGuardsWithSpringSecurity() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SessionStreamGuard.class)
			.hasSingleBean(AuthenticationExpiryGuard.class)
			.hasSingleBean(OAuth2TokenExpiry.class));
	}

	@Test
	void onlyTheSessionGuardWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Authentication.class))
			.run((context) -> assertThat(context).hasSingleBean(SessionStreamGuard.class)
				.doesNotHaveBean(AuthenticationExpiryGuard.class)
				.doesNotHaveBean(OAuth2TokenExpiry.class));
	}

	@Test
	void noTokenExpiryWithoutTheResourceServer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AbstractOAuth2TokenAuthenticationToken.class))
			.run((context) -> assertThat(context).hasSingleBean(AuthenticationExpiryGuard.class)
				.doesNotHaveBean(OAuth2TokenExpiry.class));
	}

	@Test
	void applicationExpiriesAreAddedToTheBuiltInOne() {
		this.contextRunner.withBean(SseAuthenticationExpiry.class, () -> (authentication) -> Instant.EPOCH)
			.run((context) -> assertThat(context.getBeansOfType(SseAuthenticationExpiry.class)).hasSize(2));
	}

	@Test
	void applicationGuardsReplaceTheBuiltInOnes() {
		this.contextRunner.withBean(SessionStreamGuard.class, SessionStreamGuard::new)
			.withBean("myGuard", AuthenticationExpiryGuard.class, () -> new AuthenticationExpiryGuard(List.of()))
			.run((context) -> assertThat(context).hasSingleBean(SessionStreamGuard.class)
				.hasSingleBean(AuthenticationExpiryGuard.class)
				.hasBean("myGuard"));
	}

	@Test
	void offWithTheStarter() {
		this.contextRunner.withPropertyValues("sse.broadcast.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionStreamGuard.class));
	}

}
