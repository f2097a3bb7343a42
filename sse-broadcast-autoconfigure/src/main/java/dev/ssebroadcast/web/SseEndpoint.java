package dev.ssebroadcast.web;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.SseClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.context.request.async.AsyncWebRequest;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The endpoint a browser's {@code EventSource} connects to, at
 * {@code sse.broadcast.path}: it registers the request as a client of the
 * {@link SseBroadcaster} and streams that client's queue to the response.
 * <p>
 * Each stream runs on a virtual thread of its own, whatever executor Spring MVC uses
 * for other asynchronous requests, and has no async timeout: it ends when the client
 * goes away or the broadcaster closes it.
 */
@Controller
public class SseEndpoint {

	// A servlet async timeout of zero or less means none.
	private static final Long NO_TIMEOUT = -1L;

	private final SseBroadcaster broadcaster;

	private final AsyncTaskExecutor streams;

	/**
	 * Create the endpoint for {@code broadcaster}.
	 * @param broadcaster the broadcaster whose clients connect here
	 */
	public SseEndpoint(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
		SimpleAsyncTaskExecutor streams = new SimpleAsyncTaskExecutor("sse-stream-");
		streams.setVirtualThreads(true);
		this.streams = streams;
	}

	/**
	 * Open a stream for the requesting client.
	 * @param request the request
	 * @param response the response, flushed after each batch of events
	 * @return the response whose body streams the client's events
	 */
	@GetMapping("${sse.broadcast.path:/sse}")
	public ResponseEntity<StreamingResponseBody> stream(HttpServletRequest request, HttpServletResponse response) {
		SseClient client = connect();
		WebAsyncManager asyncManager = WebAsyncUtils.getAsyncManager(request);
		asyncManager.setTaskExecutor(this.streams);
		AsyncWebRequest asyncRequest = asyncManager.getAsyncWebRequest();
		if (asyncRequest != null) {
			asyncRequest.setTimeout(NO_TIMEOUT);
			// The container may learn of a disconnect before our next write does.
			asyncRequest.addErrorHandler((ex) -> client.close());
			asyncRequest.addCompletionHandler(client::close);
		}
		// The body stream that MVC passes in ignores flush(); the response's flushBuffer()
		// is what pushes bytes to the network.
		StreamingResponseBody body = (out) -> client.streamTo(out, response::flushBuffer);
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.cacheControl(CacheControl.noCache())
			.header("X-Accel-Buffering", "no")
			.body(body);
	}

	private SseClient connect() {
		try {
			return this.broadcaster.connect();
		}
		catch (IllegalStateException ex) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Server-Sent Events are shut down");
		}
	}

}
