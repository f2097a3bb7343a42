package dev.ssebroadcast.test;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A Server-Sent Events client for tests: it reads one stream with OkHttp's SSE client,
 * records every event that arrives, and waits for the events a test expects.
 * <p>
 * The {@code await} methods return as soon as their condition holds, fail with an
 * {@link AssertionError} that lists what did arrive when it does not hold within the
 * timeout, and fail at once if the stream ends first. The other accessors take a
 * snapshot and never block, so they also suit Awaitility conditions of a test's own,
 * for example {@code await().until(client::hasEnded)}.
 * <p>
 * Thread-safe. Streams stay open until {@link #close()}: use try-with-resources. All
 * clients share one connection pool that allows any number of concurrent streams to
 * the same host.
 */
public final class SseTestClient implements AutoCloseable {

	/** How long {@code connect} and the {@code await} methods wait by default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	// Short enough that a test waiting for thousands of events does not spend its time
	// between polls; Awaitility's default is 100ms.
	private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

	private static final OkHttpClient HTTP = new OkHttpClient.Builder().dispatcher(unlimitedDispatcher())
		.readTimeout(Duration.ZERO)
		.retryOnConnectionFailure(false)
		.build();

	private final String url;

	private final Duration timeout;

	private final List<ReceivedEvent> events = new CopyOnWriteArrayList<>();

	private final EventSource source;

	private volatile boolean opened;

	private volatile boolean ended;

	private volatile int status;

	private volatile @Nullable Throwable failure;

	private SseTestClient(String url, Map<String, String> headers, Duration timeout) {
		this.url = url;
		this.timeout = timeout;
		Request.Builder request = new Request.Builder().url(url).header("Accept", "text/event-stream");
		headers.forEach(request::header);
		this.source = EventSources.createFactory(HTTP).newEventSource(request.build(), new Listener());
	}

	/**
	 * Connect to {@code url} and wait until the response has arrived: the stream has
	 * opened, or the server answered with something else (see {@link #status()}).
	 * @param url the stream's URL
	 * @return the connected client
	 * @throws AssertionError if the connection fails or no response arrives within
	 * {@link #DEFAULT_TIMEOUT}
	 */
	public static SseTestClient connect(String url) {
		return connect(url, Map.of(), DEFAULT_TIMEOUT);
	}

	/**
	 * Connect to {@code url} with extra request headers, such as {@code Authorization}
	 * or {@code Last-Event-ID}, and wait until the response has arrived.
	 * @param url the stream's URL
	 * @param headers headers to send with the request
	 * @param timeout how long this method and the {@code await} methods wait
	 * @return the connected client
	 * @throws AssertionError if the connection fails or no response arrives within
	 * {@code timeout}
	 */
	public static SseTestClient connect(String url, Map<String, String> headers, Duration timeout) {
		SseTestClient client = new SseTestClient(url, headers, timeout);
		try {
			client.await(() -> client.opened || client.status != 0, "a response");
		}
		catch (AssertionError ex) {
			client.close();
			throw ex;
		}
		return client;
	}

	/**
	 * Wait until at least {@code count} events have arrived.
	 * @param count how many events to wait for
	 * @return every event received so far, at least {@code count} of them, in order
	 * @throws AssertionError if fewer arrive before the timeout or the end of the stream
	 */
	public List<ReceivedEvent> awaitEvents(int count) {
		await(() -> this.events.size() >= count, count + " events");
		return events();
	}

	/**
	 * Wait until events with the given data have arrived, in the given order. Other
	 * events may arrive before, between and after them.
	 * @param expected the data of the awaited events
	 * @return the data of every event received so far, in order
	 * @throws AssertionError if they do not all arrive before the timeout or the end of
	 * the stream
	 */
	public List<String> awaitData(String... expected) {
		List<String> awaited = List.of(expected);
		await(() -> containsInOrder(data(), awaited), "data " + awaited + " in this order");
		return data();
	}

	/**
	 * Wait until the stream has ended, closed by the server or failed.
	 * @throws AssertionError if it is still open at the timeout
	 */
	public void awaitEnd() {
		await(() -> this.ended, "the end of the stream");
	}

	/**
	 * The events received so far.
	 * @return a snapshot, in order of arrival
	 */
	public List<ReceivedEvent> events() {
		return List.copyOf(this.events);
	}

	/**
	 * The data of the events received so far.
	 * @return a snapshot, in order of arrival
	 */
	public List<String> data() {
		return this.events.stream().map(ReceivedEvent::data).toList();
	}

	/**
	 * Whether the stream opened and has not ended.
	 * @return {@code true} while events can still arrive
	 */
	public boolean isOpen() {
		return this.opened && !this.ended;
	}

	/**
	 * Whether the stream has ended: the server closed it, the connection failed, the
	 * server refused to stream, or {@link #close()} was called.
	 * @return {@code true} once no more events can arrive
	 */
	public boolean hasEnded() {
		return this.ended;
	}

	/**
	 * The HTTP status of the response.
	 * @return the status code, or {@code 0} if no response arrived
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Close the stream. Idempotent.
	 */
	@Override
	public void close() {
		this.source.cancel();
		this.ended = true;
	}

	@Override
	public String toString() {
		return "SseTestClient[" + this.url + ", " + describeState() + "]";
	}

	private void await(BooleanSupplier condition, String awaited) {
		try {
			Awaitility.await()
				.atMost(this.timeout)
				.pollInSameThread()
				.pollDelay(Duration.ZERO)
				.pollInterval(POLL_INTERVAL)
				.until(() -> condition.getAsBoolean() || this.ended);
		}
		catch (ConditionTimeoutException ex) {
			throw failure(awaited, "within " + this.timeout.toMillis() + "ms");
		}
		// The listener records every event before it records the end, so none is missed.
		if (!condition.getAsBoolean()) {
			throw failure(awaited, "before the stream ended");
		}
	}

	private AssertionError failure(String awaited, String when) {
		return new AssertionError("Expected " + awaited + " from " + this.url + " " + when + ", but "
				+ describeState() + " and " + this.events.size() + " events arrived: " + this.events);
	}

	private String describeState() {
		String state;
		if (this.opened) {
			state = this.ended ? "the stream ended" : "the stream is open";
		}
		else if (this.status != 0) {
			state = "the server answered " + this.status + " without a stream";
		}
		else {
			state = this.ended ? "the connection failed" : "no response has arrived";
		}
		Throwable failure = this.failure;
		return (failure != null) ? state + " (" + failure + ")" : state;
	}

	private static boolean containsInOrder(List<String> received, List<String> expected) {
		Iterator<String> remaining = received.iterator();
		for (String next : expected) {
			if (!advanceTo(remaining, next)) {
				return false;
			}
		}
		return true;
	}

	private static boolean advanceTo(Iterator<String> remaining, String wanted) {
		while (remaining.hasNext()) {
			if (remaining.next().equals(wanted)) {
				return true;
			}
		}
		return false;
	}

	// OkHttp's default allows 5 concurrent calls per host, and each stream holds its call
	// open for as long as it lasts.
	private static Dispatcher unlimitedDispatcher() {
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(Integer.MAX_VALUE);
		dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
		return dispatcher;
	}

	private final class Listener extends EventSourceListener {

		@Override
		public void onOpen(EventSource eventSource, Response response) {
			SseTestClient.this.status = response.code();
			SseTestClient.this.opened = true;
		}

		@Override
		public void onEvent(EventSource eventSource, @Nullable String id, @Nullable String type, String data) {
			SseTestClient.this.events.add(new ReceivedEvent(data, type, id));
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
			SseTestClient.this.failure = t;
			SseTestClient.this.ended = true;
		}

	}

}
