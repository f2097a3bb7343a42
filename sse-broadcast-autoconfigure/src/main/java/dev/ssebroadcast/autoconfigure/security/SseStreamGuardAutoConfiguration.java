package dev.ssebroadcast.autoconfigure.security;

import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.security.AuthenticationExpiryGuard;
import dev.ssebroadcast.security.OAuth2TokenExpiry;
import dev.ssebroadcast.security.SseAuthenticationExpiry;
import dev.ssebroadcast.web.SessionStreamGuard;
import jakarta.servlet.http.HttpSessionListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of the stream guards: streams opened in an HTTP session end with
 * it, and, with Spring Security, streams end when the authentication that opened them
 * expires.
 */
@AutoConfiguration(before = SseBroadcastAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, HttpSessionListener.class })
@ConditionalOnBooleanProperty(name = "sse.broadcast.enabled", matchIfMissing = true)
public final class SseStreamGuardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SessionStreamGuard sseSessionStreamGuard() {
		return new SessionStreamGuard();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Authentication.class)
	static class AuthenticationExpiryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AuthenticationExpiryGuard sseAuthenticationExpiryGuard(ObjectProvider<SseAuthenticationExpiry> expiries) {
			return new AuthenticationExpiryGuard(expiries.orderedStream().toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Authentication.class, AbstractOAuth2TokenAuthenticationToken.class })
	static class OAuth2TokenExpiryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OAuth2TokenExpiry sseOAuth2TokenExpiry() {
			return new OAuth2TokenExpiry();
		}

	}

}
