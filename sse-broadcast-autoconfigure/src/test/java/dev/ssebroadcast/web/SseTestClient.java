package dev.ssebroadcast.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * Reads one Server-Sent Events stream with OkHttp's SSE client, and records what arrives
 * for tests to assert on.
 */
public final class SseTestClient implements AutoCloseable {

	private static final OkHttpClient HTTP = new OkHttpClient.Builder().dispatcher(unlimitedDispatcher())
		.readTimeout(Duration.ZERO)
		.retryOnConnectionFailure(false)
		.build();

	private final List<Received> events = new CopyOnWriteArrayList<>();

	private final EventSource source;

	private volatile boolean open;

	private volatile boolean ended;

	private volatile int status;

	private SseTestClient(String url, Map<String, String> headers) {
		Request.Builder request = new Request.Builder().url(url).header("Accept", "text/event-stream");
		headers.forEach(request::header);
		this.source = EventSources.createFactory(HTTP).newEventSource(request.build(), new Listener());
	}

	/**
	 * Connect to {@code url} and wait until the response headers have arrived.
	 * @param url the stream's URL
	 * @return the connected client
	 */
	public static SseTestClient connect(String url) {
		return connect(url, Map.of());
	}

	/**
	 * Connect to {@code url} with extra request headers, for example
	 * {@code Last-Event-ID}, and wait until the response headers have arrived.
	 * @param url the stream's URL
	 * @param headers the headers to add
	 * @return the connected client
	 */
	public static SseTestClient connect(String url, Map<String, String> headers) {
		SseTestClient client = new SseTestClient(url, headers);
		await("stream to " + url + " to open").atMost(Duration.ofSeconds(10))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(2))
			.until(() -> client.open || client.ended);
		return client;
	}

	// OkHttp's default allows 5 concurrent calls per host; a stream holds its call open.
	private static Dispatcher unlimitedDispatcher() {
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(Integer.MAX_VALUE);
		dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
		return dispatcher;
	}

	/** Shut the OkHttp client's threads and connections down; for the end of a test run. */
	public static void shutdownAll() {
		HTTP.dispatcher().executorService().shutdown();
		HTTP.connectionPool().evictAll();
		try {
			HTTP.dispatcher().executorService().awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	public List<Received> events() {
		return List.copyOf(this.events);
	}

	public List<String> data() {
		return this.events.stream().map(Received::data).toList();
	}

	public boolean isOpen() {
		return this.open && !this.ended;
	}

	public boolean hasEnded() {
		return this.ended;
	}

	public int status() {
		return this.status;
	}

	@Override
	public void close() {
		this.source.cancel();
	}

	/**
	 * One event as the SSE client parsed it.
	 * @param id the last event id, or {@code null}
	 * @param type the event name, or {@code null} for {@code message}
	 * @param data the data
	 */
	public record Received(@Nullable String id, @Nullable String type, String data) {
	}

	private final class Listener extends EventSourceListener {

		@Override
		public void onOpen(EventSource eventSource, Response response) {
			SseTestClient.this.status = response.code();
			SseTestClient.this.open = true;
		}

		@Override
		public void onEvent(EventSource eventSource, @Nullable String id, @Nullable String type, String data) {
			SseTestClient.this.events.add(new Received(id, type, data));
		}

		@Override
		public void onClosed(EventSource eventSource) {
			SseTestClient.this.ended = true;
		}

		@Override
		public void onFailure(EventSource eventSource, @Nullable Throwable t, @Nullable Response response) {
			if (response != null) {
				SseTestClient.this.status = response.code();
			}
			SseTestClient.this.ended = true;
		}

	}

}
