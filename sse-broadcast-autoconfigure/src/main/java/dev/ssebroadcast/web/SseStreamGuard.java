package dev.ssebroadcast.web;

import dev.ssebroadcast.SseClient;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Ties a stream's life to what authenticated its request: told of each client the
 * endpoint connects, it may have the client's stream end when that credential or
 * session ends, for example with {@link SseClient#expireAt}. Every bean of this type
 * is told, in order.
 * <p>
 * Called on the request's thread, before the stream starts; must not block.
 */
@FunctionalInterface
public interface SseStreamGuard {

	/**
	 * Watch over the stream of {@code client}, opened by {@code request}.
	 * @param request the request that opened the stream, authenticated already
	 * @param client its client, connected
	 */
	void guard(HttpServletRequest request, SseClient client);

}
