package dev.ssebroadcast.security;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;

/**
 * When an {@link Authentication} stops being valid, so that a stream it opened ends
 * then. Declare a bean of this type for credentials the library does not know; every
 * such bean is asked, besides the built-in one for OAuth 2 tokens, and the earliest
 * answer counts.
 */
@FunctionalInterface
public interface SseAuthenticationExpiry {

	/**
	 * The moment {@code authentication} expires.
	 * @param authentication the authentication of a request that opens a stream
	 * @return when it expires, or {@code null} if this does not know (or it never does)
	 */
	@Nullable Instant expiresAt(Authentication authentication);

}
