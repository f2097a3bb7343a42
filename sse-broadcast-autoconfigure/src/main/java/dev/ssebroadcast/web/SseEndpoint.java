package dev.ssebroadcast.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseBroadcaster.TooManyClientsException;
import dev.ssebroadcast.SseClient;
import dev.ssebroadcast.SseSubscription;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.context.request.async.AsyncWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.FrameworkServlet;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The endpoint a browser's {@code EventSource} connects to, at
 * {@code sse.broadcast.path}: it registers the request as a client of the
 * {@link SseBroadcaster} and streams that client's queue to the response.
 * <p>
 * Query parameters: {@code topic} (repeatable, each value one topic name) subscribes to
 * topics besides what is broadcast to everyone; {@code lastEventId} stands in for the
 * {@code Last-Event-ID} header for clients that cannot set it. A bad request gets
 * {@code 400}, a refused subscription {@code 403} and a full server {@code 503}, each
 * with a plain text reason and no stream. A stopping server answers with a stream that
 * ends at once and asks the browser to retry. {@code HEAD} gets the answer a {@code GET}
 * would get, with the stream's headers but never a stream; other methods get Spring
 * MVC's {@code 405} with {@code Allow}.
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

	private static final String NO_CACHE = CacheControl.noCache().getHeaderValue();

	private static final CallableProcessingInterceptor NO_REQUEST_BINDING = new CallableProcessingInterceptor() {
	};

	private static final byte[] SHUTTING_DOWN = ("retry: " + RETRY_AFTER.toMillis() + "\n: shutting down\n\n")
		.getBytes(StandardCharsets.US_ASCII);

	private final SseBroadcaster broadcaster;

	private final List<SseSubscriptionInterceptor> interceptors;

	private final List<SseStreamGuard> guards;

	private final AsyncTaskExecutor streams;

	/**
	 * Create the endpoint for {@code broadcaster}.
	 * @param broadcaster the broadcaster whose clients connect here
	 * @param interceptors what may refuse or narrow subscriptions, in order
	 */
	public SseEndpoint(SseBroadcaster broadcaster, List<SseSubscriptionInterceptor> interceptors) {
		this(broadcaster, interceptors, List.of());
	}

	/**
	 * Create the endpoint for {@code broadcaster}, whose streams end when what
	 * authenticated them does.
	 * @param broadcaster the broadcaster whose clients connect here
	 * @param interceptors what may refuse or narrow subscriptions, in order
	 * @param guards told of each client connected, in order
	 */
	public SseEndpoint(SseBroadcaster broadcaster, List<SseSubscriptionInterceptor> interceptors,
			List<SseStreamGuard> guards) {
		this.broadcaster = broadcaster;
		this.interceptors = List.copyOf(interceptors);
		this.guards = List.copyOf(guards);
		this.streams = new StreamThreadExecutor();
	}

	/**
	 * Open a stream for the requesting client.
	 * <p>
	 * The response is committed here, on the request's thread, before the stream's own
	 * thread takes it over: filters that write headers once the chain returns (Spring
	 * Security's among them) then find it committed, and the two threads never touch
	 * the response's headers at once. A {@code HEAD} request gets the stream's headers
	 * and no stream: its body would never be sent, so a stream would never find its
	 * client gone.
	 * @param request the request
	 * @param response the response, flushed after each batch of events
	 * @return what streams the client's events, or {@code null} when the response is
	 * already complete
	 * @throws IOException if the response cannot be written
	 */
	@RequestMapping(path = "${sse.broadcast.path:/sse}", method = { RequestMethod.GET, RequestMethod.HEAD })
	public @Nullable StreamingResponseBody stream(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		SseSubscription subscription = subscription(request, topics(request));
		if (this.broadcaster.isClosed()) {
			shuttingDown(response);
			return null;
		}
		if (HttpMethod.HEAD.matches(request.getMethod())) {
			checkConnect(subscription);
			startEventStream(response);
			return null;
		}
		SseClient client = connect(subscription, lastEventId(request));
		try {
			for (SseStreamGuard guard : this.guards) {
				guard.guard(request, client);
			}
		}
		catch (RuntimeException ex) {
			client.close();
			throw ex;
		}
		try {
			startEventStream(response);
			// The headers and the stream's opening comment in one write: the client is
			// connected before the stream's thread runs.
			if (!client.writeOpening(response.getOutputStream(), response::flushBuffer)) {
				response.flushBuffer();
			}
		}
		catch (IOException ex) {
			client.close(DisconnectReason.CLIENT_GONE);
			return null;
		}
		WebAsyncManager asyncManager = WebAsyncUtils.getAsyncManager(request);
		asyncManager.setTaskExecutor(this.streams);
		// Spring MVC would bind the request's locale and attributes to the stream's thread,
		// under this key, for as long as the stream lasts: thread-locals nothing in the
		// stream's loop reads, kept per client. An interceptor of our own under the same
		// key replaces that binding.
		asyncManager.registerCallableInterceptor(FrameworkServlet.class.getName(), NO_REQUEST_BINDING);
		Runnable unwatch = ClosedConnectionWatch.watch(ConnectionAbort.channel(request), client);
		AsyncWebRequest asyncRequest = asyncManager.getAsyncWebRequest();
		if (asyncRequest != null) {
			asyncRequest.setTimeout(NO_TIMEOUT);
			// However the request ends (a container error, or completion for any reason),
			// the client goes with it; a closed connection is found by the watch, or else
			// by the next write.
			asyncRequest.addErrorHandler((ex) -> client.close(DisconnectReason.CLIENT_GONE));
			asyncRequest.addCompletionHandler(() -> {
				unwatch.run();
				client.close(DisconnectReason.CLIENT_GONE);
			});
		}
		// The body stream that MVC passes in ignores flush(); the response's flushBuffer()
		// is what pushes bytes to the network.
		return new ClientResponseStream(client, response::flushBuffer, ConnectionAbort.of(request), unwatch);
	}

	/**
	 * A browser's {@code EventSource} gives up for good on an error status, but
	 * reconnects after a stream that ends: so a stopping server answers with an empty
	 * stream that asks for a retry, which then reaches another instance.
	 */
	private static void shuttingDown(HttpServletResponse response) throws IOException {
		startEventStream(response);
		response.getOutputStream().write(SHUTTING_DOWN);
	}

	private static void startEventStream(HttpServletResponse response) {
		response.setStatus(HttpStatus.OK.value());
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
		response.setHeader("X-Accel-Buffering", "no");
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

	/**
	 * The {@code topic} values exactly as sent: {@code topic=a,b} is the one topic
	 * {@code a,b} (refused as invalid), not two.
	 */
	private static List<String> topics(HttpServletRequest request) {
		String[] topics = parameterValues(request, "topic");
		return (topics != null) ? Arrays.asList(topics) : List.of();
	}

	private static @Nullable String lastEventId(HttpServletRequest request) {
		String header = request.getHeader("Last-Event-ID");
		if (header != null) {
			return LastEventIdHeader.decode(header);
		}
		String[] values = parameterValues(request, "lastEventId");
		return (values != null) ? values[0] : null;
	}

	private static String @Nullable [] parameterValues(HttpServletRequest request, String name) {
		try {
			return request.getParameterValues(name);
		}
		catch (IllegalStateException ex) {
			// How Tomcat refuses a query string with more parameters than it allows, or
			// one it cannot decode.
			throw new RejectedRequestException(HttpStatus.BAD_REQUEST,
					"The query string cannot be read: too many or malformed parameters");
		}
	}

	private SseClient connect(SseSubscription subscription, @Nullable String lastEventId) {
		try {
			return this.broadcaster.connect(subscription, lastEventId);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw refused(ex);
		}
	}

	private void checkConnect(SseSubscription subscription) {
		try {
			this.broadcaster.checkConnect(subscription);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw refused(ex);
		}
	}

	/**
	 * The answer to a connection the broadcaster refused: a full or closed broadcaster
	 * is {@code 503} (a {@link TooManyClientsException} among them), anything else the
	 * request's fault.
	 */
	private static RejectedRequestException refused(RuntimeException ex) {
		HttpStatus status = (ex instanceof IllegalStateException) ? HttpStatus.SERVICE_UNAVAILABLE
				: HttpStatus.BAD_REQUEST;
		return new RejectedRequestException(status, ex.getMessage());
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
