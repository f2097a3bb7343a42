package dev.ssebroadcast.security;

import java.time.Instant;
import java.util.List;

import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.web.SseStreamGuard;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;

/**
 * Ends a stream when the {@link Authentication} of the request that opened it expires,
 * at the earliest moment any {@link SseAuthenticationExpiry} gives. The stream's last
 * event is then {@value dev.ssebroadcast.SseBroadcaster#EXPIRED_EVENT}; the browser's
 * reconnect with the same credential is refused by Spring Security.
 */
public final class AuthenticationExpiryGuard implements SseStreamGuard {

	private final List<SseAuthenticationExpiry> expiries;

	/**
	 * @param expiries what tells when an authentication expires
	 */
	public AuthenticationExpiryGuard(List<SseAuthenticationExpiry> expiries) {
		this.expiries = List.copyOf(expiries);
	}

	@Override
	public void guard(HttpServletRequest request, SseClient client) {
		if (request.getUserPrincipal() instanceof Authentication authentication) {
			Instant expiresAt = expiresAt(authentication);
			if (expiresAt != null) {
				client.expireAt(expiresAt);
			}
		}
	}

	private @Nullable Instant expiresAt(Authentication authentication) {
		Instant earliest = null;
		for (SseAuthenticationExpiry expiry : this.expiries) {
			Instant expiresAt = expiry.expiresAt(authentication);
			if (expiresAt != null && (earliest == null || expiresAt.isBefore(earliest))) {
				earliest = expiresAt;
			}
		}
		return earliest;
	}

}
