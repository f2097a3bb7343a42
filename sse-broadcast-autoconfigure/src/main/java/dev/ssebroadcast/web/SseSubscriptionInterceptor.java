package dev.ssebroadcast.web;

import dev.ssebroadcast.SseSubscription;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides, before a stream opens, what a client may subscribe to. Define beans of this
 * type to check a request's topics against its user, to narrow them, or to give some
 * clients their own overflow policy. Several interceptors apply in their
 * {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface SseSubscriptionInterceptor {

	/**
	 * Inspect a subscription before its stream opens.
	 * @param request the streaming request, with its principal if authenticated
	 * @param requested the topics the request asked for and its user
	 * @return the subscription to open, possibly narrowed, or {@code null} to refuse the
	 * request with {@code 403 Forbidden}
	 */
	@Nullable SseSubscription beforeSubscribe(HttpServletRequest request, SseSubscription requested);

}
