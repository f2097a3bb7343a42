package dev.ssebroadcast.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseBroadcaster.TooManyClientsException;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseSubscription;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.async.AsyncWebRequest;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The endpoint a browser's {@code EventSource} connects to, at
 * {@code sse.broadcast.path}: it registers the request as a client of the
 * {@link SseBroadcaster} and streams that client's queue to the response.
 * <p>
 * Query parameters: {@code topic} (repeatable) subscribes to topics besides what is
 * broadcast to everyone; {@code lastEventId} stands in for the {@code Last-Event-ID}
 * header for clients that cannot set it. A bad request gets {@code 400}, a refused
 * subscription {@code 403} and a full server {@code 503}, each with a plain text reason
 * and no stream. A stopping server answers with a stream that ends at once and asks the
 * browser to retry.
 * <p>
 * Each stream runs on a virtual thread of its own, whatever executor Spring MVC uses
 * for other asynchronous requests, and has no async timeout: it ends when the client
 * goes away or the broadcaster closes it.
 */
@Controller
public class SseEndpoint {

	// A servlet async timeout of zero or less means none.
	private static final Long NO_TIMEOUT = -1L;

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private static final byte[] SHUTTING_DOWN = ("retry: " + RETRY_AFTER.toMillis() + "\n: shutting down\n\n")
		.getBytes(StandardCharsets.US_ASCII);

	private final SseBroadcaster broadcaster;

	private final List<SseSubscriptionInterceptor> interceptors;

	private final AsyncTaskExecutor streams;

	/**
	 * Create the endpoint for {@code broadcaster}.
	 * @param broadcaster the broadcaster whose clients connect here
	 * @param interceptors what may refuse or narrow subscriptions, in order
	 */
	public SseEndpoint(SseBroadcaster broadcaster, List<SseSubscriptionInterceptor> interceptors) {
		this.broadcaster = broadcaster;
		this.interceptors = List.copyOf(interceptors);
		SimpleAsyncTaskExecutor streams = new SimpleAsyncTaskExecutor("sse-stream-");
		streams.setVirtualThreads(true);
		this.streams = streams;
	}

	/**
	 * Open a stream for the requesting client.
	 * @param topics the topics to subscribe to, besides broadcasts to everyone
	 * @param lastEventIdHeader the id of the last event received before a reconnect
	 * @param lastEventIdParam the same, for clients that cannot set headers
	 * @param request the request
	 * @param response the response, flushed after each batch of events
	 * @return the response whose body streams the client's events
	 */
	@GetMapping("${sse.broadcast.path:/sse}")
	public ResponseEntity<StreamingResponseBody> stream(@RequestParam(name = "topic", required = false) @Nullable List<String> topics,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
			@RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParam,
			HttpServletRequest request, HttpServletResponse response) {
		SseSubscription subscription = subscription(request, (topics != null) ? topics : List.of());
		String lastEventId = (lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParam;
		if (this.broadcaster.isClosed()) {
			return shuttingDown();
		}
		SseClient client = connect(subscription, lastEventId);
		WebAsyncManager asyncManager = WebAsyncUtils.getAsyncManager(request);
		asyncManager.setTaskExecutor(this.streams);
		AsyncWebRequest asyncRequest = asyncManager.getAsyncWebRequest();
		if (asyncRequest != null) {
			asyncRequest.setTimeout(NO_TIMEOUT);
			// However the request ends (a container error, or completion for any reason),
			// the client goes with it; a silent disconnect is found by the next write.
			asyncRequest.addErrorHandler((ex) -> client.close(DisconnectReason.CLIENT_GONE));
			asyncRequest.addCompletionHandler(() -> client.close(DisconnectReason.CLIENT_GONE));
		}
		// The body stream that MVC passes in ignores flush(); the response's flushBuffer()
		// is what pushes bytes to the network.
		Consumer<Thread> abort = ConnectionAbort.of(request);
		StreamingResponseBody body = (out) -> client.streamTo(out, response::flushBuffer, abort);
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.cacheControl(CacheControl.noCache())
			.header("X-Accel-Buffering", "no")
			.body(body);
	}

	/**
	 * A browser's {@code EventSource} gives up for good on an error status, but
	 * reconnects after a stream that ends: so a stopping server answers with an empty
	 * stream that asks for a retry, which then reaches another instance.
	 */
	private ResponseEntity<StreamingResponseBody> shuttingDown() {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.cacheControl(CacheControl.noCache())
			.body((out) -> out.write(SHUTTING_DOWN));
	}

	@ExceptionHandler
	ResponseEntity<String> rejected(RejectedRequestException ex) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.status).contentType(MediaType.TEXT_PLAIN);
		if (ex.status == HttpStatus.SERVICE_UNAVAILABLE) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()));
		}
		return response.body(ex.getMessage());
	}

	private SseSubscription subscription(HttpServletRequest request, List<String> topics) {
		SseSubscription subscription;
		try {
			subscription = SseSubscription.topics(topics)
				.withUser((request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null);
		}
		catch (IllegalArgumentException ex) {
			throw new RejectedRequestException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		for (SseSubscriptionInterceptor interceptor : this.interceptors) {
			subscription = interceptor.beforeSubscribe(request, subscription);
			if (subscription == null) {
				throw new RejectedRequestException(HttpStatus.FORBIDDEN, "Subscription refused");
			}
		}
		return subscription;
	}

	private SseClient connect(SseSubscription subscription, @Nullable String lastEventId) {
		try {
			return this.broadcaster.connect(subscription, lastEventId);
		}
		catch (TooManyClientsException ex) {
			throw new RejectedRequestException(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		}
		catch (IllegalStateException ex) {
			throw new RejectedRequestException(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			throw new RejectedRequestException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

	/**
	 * A request that gets a plain-text error instead of a stream.
	 */
	static final class RejectedRequestException extends RuntimeException {

		private final HttpStatus status;

		RejectedRequestException(HttpStatus status, @Nullable String reason) {
			super(reason, null, false, false);
			this.status = status;
		}

	}

}
