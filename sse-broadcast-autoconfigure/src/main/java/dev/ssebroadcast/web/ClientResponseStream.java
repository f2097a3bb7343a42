package dev.ssebroadcast.web;

import java.io.Flushable;
import java.io.OutputStream;
import java.util.function.Consumer;

import dev.ssebroadcast.SseClient;

import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * One client's response body: streams the client to it. A class rather than a lambda,
 * whose body would sit one frame deeper: the frames under the stream's loop stay on the
 * parked thread's stack, in the heap, for as long as the client is connected.
 */
final class ClientResponseStream implements StreamingResponseBody {

	private final SseClient client;

	private final Flushable flusher;

	private final Consumer<Thread> abort;

	private final Runnable unwatch;

	ClientResponseStream(SseClient client, Flushable flusher, Consumer<Thread> abort, Runnable unwatch) {
		this.client = client;
		this.flusher = flusher;
		this.abort = abort;
		this.unwatch = unwatch;
	}

	@Override
	public void writeTo(OutputStream out) {
		try {
			this.client.streamTo(out, this.flusher, this.abort);
		}
		finally {
			// Before the connection, kept alive, carries the browser's next request.
			this.unwatch.run();
		}
	}

}
