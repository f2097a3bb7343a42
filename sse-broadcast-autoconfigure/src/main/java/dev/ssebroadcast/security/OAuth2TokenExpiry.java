package dev.ssebroadcast.security;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * The expiry of a bearer token, as a resource server authenticated it: the {@code exp}
 * claim of a JWT, or the expiry an introspected opaque token came with (its
 * {@code exp} attribute when the token itself carries none).
 */
public final class OAuth2TokenExpiry implements SseAuthenticationExpiry {

	@Override
	public @Nullable Instant expiresAt(Authentication authentication) {
		if (!(authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> token)) {
			return null;
		}
		Instant expiresAt = token.getToken().getExpiresAt();
		if (expiresAt != null) {
			return expiresAt;
		}
		return (token.getTokenAttributes().get(OAuth2TokenIntrospectionClaimNames.EXP) instanceof Instant exp) ? exp
				: null;
	}

}
