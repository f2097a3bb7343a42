package dev.ssebroadcast.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AccessToken.TokenType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in expiry of bearer tokens, JWT and opaque.
 */
class OAuth2TokenExpiryTests {

	private static final Instant EXPIRES = Instant.parse("2030-01-02T03:04:05Z");

	private final OAuth2TokenExpiry expiry = new OAuth2TokenExpiry();

	@Test
	void jwtExpiresAtItsExpClaim() {
		Jwt jwt = Jwt.withTokenValue("token").header("alg", "RS256").subject("alice").expiresAt(EXPIRES).build();
		assertThat(this.expiry.expiresAt(new JwtAuthenticationToken(jwt))).isEqualTo(EXPIRES);
	}

	@Test
	void jwtWithoutExpNeverExpires() {
		Jwt jwt = Jwt.withTokenValue("token").header("alg", "RS256").subject("alice").build();
		assertThat(this.expiry.expiresAt(new JwtAuthenticationToken(jwt))).isNull();
	}

	@Test
	void opaqueTokenExpiresWhenItsIntrospectionSaid() {
		OAuth2AccessToken token = new OAuth2AccessToken(TokenType.BEARER, "token", EXPIRES.minusSeconds(60), EXPIRES);
		assertThat(this.expiry.expiresAt(opaque(token, Map.of("sub", "alice")))).isEqualTo(EXPIRES);
	}

	@Test
	void opaqueTokenWithoutExpiryFallsBackToItsExpAttribute() {
		OAuth2AccessToken token = new OAuth2AccessToken(TokenType.BEARER, "token", null, null);
		assertThat(this.expiry.expiresAt(opaque(token, Map.of("sub", "alice", "exp", EXPIRES)))).isEqualTo(EXPIRES);
	}

	@Test
	void otherAuthenticationsAreNotKnown() {
		assertThat(this.expiry.expiresAt(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of())))
			.isNull();
	}

	private static BearerTokenAuthentication opaque(OAuth2AccessToken token, Map<String, Object> attributes) {
		return new BearerTokenAuthentication(new DefaultOAuth2AuthenticatedPrincipal(attributes, List.of()), token,
				List.of());
	}

}
