package dev.ssebroadcast.redis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A stream client that resumes as a browser's {@code EventSource} does: when a stream
 * ends it waits for the last {@code retry} delay the server sent (or a browser's usual
 * default), then reconnects with the id of the last event it got as
 * {@code Last-Event-ID}. Each connection goes to the next of its servers, and the last
 * one takes every later connection: a load balancer that stopped routing to an instance
 * that stops.
 */
final class ResumingClient implements AutoCloseable {

	/** The delay a browser waits before reconnecting when no {@code retry} was sent. */
	static final long BROWSER_RETRY_MILLIS = 3000;

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<URI> servers;

	private final List<String> data = new CopyOnWriteArrayList<>();

	private final List<Long> endingRetries = new CopyOnWriteArrayList<>();

	private final List<Long> connectedNanos = new CopyOnWriteArrayList<>();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final Thread thread;

	private volatile @Nullable Stream<String> current;

	private volatile boolean closed;

	private @Nullable String lastEventId;

	private long retryMillis = BROWSER_RETRY_MILLIS;

	private ResumingClient(List<URI> servers) {
		this.servers = List.copyOf(servers);
		this.thread = Thread.ofVirtual().name("resuming-client").start(this::run);
	}

	/** Connect to the first of {@code servers}, and resume on the following ones. */
	static ResumingClient connect(URI... servers) {
		return new ResumingClient(List.of(servers));
	}

	/** The data of every event received, over all connections. */
	List<String> data() {
		return List.copyOf(this.data);
	}

	/** The {@code retry} in force when each stream ended, in milliseconds. */
	List<Long> endingRetries() {
		return List.copyOf(this.endingRetries);
	}

	/** When each stream opened, as {@link System#nanoTime()}. */
	List<Long> connectedNanos() {
		return List.copyOf(this.connectedNanos);
	}

	/** Connections that failed or were refused. */
	List<String> failures() {
		return List.copyOf(this.failures);
	}

	private void run() {
		int connection = 0;
		while (!this.closed) {
			URI server = this.servers.get(Math.min(connection++, this.servers.size() - 1));
			HttpRequest.Builder request = HttpRequest.newBuilder(server).header("Accept", "text/event-stream");
			if (this.lastEventId != null) {
				request.header("Last-Event-ID", this.lastEventId);
			}
			try {
				HttpResponse<Stream<String>> response = HTTP.send(request.build(), BodyHandlers.ofLines());
				if (response.statusCode() != 200) {
					this.failures.add(server + ": " + response.statusCode());
					response.body().close();
				}
				else {
					this.connectedNanos.add(System.nanoTime());
					this.current = response.body();
					read(response.body().iterator());
					this.endingRetries.add(this.retryMillis);
				}
			}
			catch (IOException | RuntimeException ex) {
				if (!this.closed) {
					this.failures.add(server + ": " + ex);
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			try {
				Thread.sleep(this.retryMillis);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	// The event-stream format's fields, as EventSource reads them.
	private void read(Iterator<String> lines) {
		StringBuilder eventData = null;
		String id = null;
		while (lines.hasNext()) {
			String line = lines.next();
			if (line.isEmpty()) {
				if (id != null) {
					this.lastEventId = id;
				}
				if (eventData != null) {
					this.data.add(eventData.toString());
				}
				eventData = null;
				id = null;
			}
			else if (line.startsWith("data:")) {
				String value = value(line, 5);
				eventData = (eventData == null) ? new StringBuilder(value) : eventData.append('\n').append(value);
			}
			else if (line.startsWith("id:")) {
				id = value(line, 3);
			}
			else if (line.startsWith("retry:") && value(line, 6).matches("[0-9]{1,9}")) {
				this.retryMillis = Long.parseLong(value(line, 6));
			}
		}
	}

	private static String value(String line, int from) {
		return (line.length() > from && line.charAt(from) == ' ') ? line.substring(from + 1) : line.substring(from);
	}

	@Override
	public void close() {
		this.closed = true;
		Stream<String> stream = this.current;
		if (stream != null) {
			stream.close();
		}
		this.thread.interrupt();
	}

	@Override
	public String toString() {
		return "ResumingClient[connections=" + this.connectedNanos.size() + ", events=" + this.data.size()
				+ ", retries=" + this.endingRetries + ", failures=" + this.failures + "]";
	}

}
