package dev.ssebroadcast.web;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.ssebroadcast.SseClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Ends the streams opened in an HTTP session when that session ends: on logout (which
 * invalidates it) or when it times out. Each such stream gets one last
 * {@value dev.ssebroadcast.SseBroadcaster#EXPIRED_EVENT} event.
 * <p>
 * A servlet {@link HttpSessionListener}: registered as a bean, the container calls it for
 * every session it destroys, and Spring Session calls it for the sessions it stores.
 * Streams opened without a session are not watched.
 */
public final class SessionStreamGuard implements SseStreamGuard, HttpSessionListener {

	private final Map<String, Set<SseClient>> bySession = new ConcurrentHashMap<>();

	@Override
	public void guard(HttpServletRequest request, SseClient client) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return;
		}
		this.bySession.compute(session.getId(), (id, clients) -> {
			Set<SseClient> streams = (clients != null) ? clients : ConcurrentHashMap.newKeySet();
			// A tab that reconnects within one session adds a client each time: the
			// closed ones go here, the rest with the session.
			streams.removeIf((stream) -> !stream.isOpen());
			streams.add(client);
			return streams;
		});
		if (!isValid(session)) {
			// Ended while the stream connected, perhaps before it was listed above.
			sessionEnded(session.getId());
		}
	}

	@Override
	public void sessionDestroyed(HttpSessionEvent event) {
		sessionEnded(event.getSession().getId());
	}

	private void sessionEnded(String id) {
		Set<SseClient> clients = this.bySession.remove(id);
		if (clients != null) {
			Instant now = Instant.now();
			clients.forEach((client) -> client.expireAt(now));
		}
	}

	private static boolean isValid(HttpSession session) {
		try {
			session.getLastAccessedTime();
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	/** The number of sessions with streams; for tests. */
	int sessionCount() {
		return this.bySession.size();
	}

}
