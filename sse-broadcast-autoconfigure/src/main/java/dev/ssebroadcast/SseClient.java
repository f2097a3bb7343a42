package dev.ssebroadcast;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One connected client, as its broadcaster sees it: who it is, what it receives, and
 * how its stream is doing.
 * <p>
 * Obtained from {@link SseBroadcaster#connect}. Exactly one thread calls
 * {@link #streamTo}, which blocks for as long as the client stays connected. Any thread
 * may call {@link #close()} and the other methods.
 */
public final class SseClient {

	private static final long FOREVER_SECONDS = Duration.ofDays(365L * 100).getSeconds();

	private final long id;

	private final SseSubscription subscription;

	private final Instant connectedAt = Instant.now();

	private final ClientStream stream;

	private final StreamDeadlines deadlines;

	// Guarded by the fan-out's lock; -1 while nothing is to be skipped.
	private long receivedThrough = -1;

	SseClient(long id, SseSubscription subscription, ClientStream stream, StreamDeadlines deadlines) {
		this.id = id;
		this.subscription = subscription;
		this.stream = stream;
		this.deadlines = deadlines;
	}

	/**
	 * This client's id, unique within its broadcaster; see
	 * {@link SseBroadcaster#sendToClient}.
	 * @return the id
	 */
	public long id() {
		return this.id;
	}

	/**
	 * The name of the user this client belongs to.
	 * @return the user, or {@code null} if the client is anonymous
	 */
	public @Nullable String user() {
		return this.subscription.user();
	}

	/**
	 * The topics this client receives, besides what is broadcast to everyone.
	 * @return the topics, possibly none
	 */
	public Set<String> topics() {
		return this.subscription.topics();
	}

	/**
	 * What happens when this client's queue is full.
	 * @return the policy in force for this client
	 */
	public OverflowPolicy overflow() {
		return this.stream.overflow();
	}

	/**
	 * When this client connected.
	 * @return the time
	 */
	public Instant connectedAt() {
		return this.connectedAt;
	}

	/**
	 * Whether this client still takes events.
	 * @return {@code false} once closed, by either side
	 */
	public boolean isOpen() {
		return this.stream.isOpen();
	}

	/**
	 * Why this client's stream ended.
	 * @return the reason, or {@code null} while it is open
	 */
	public @Nullable DisconnectReason disconnectReason() {
		return this.stream.disconnectReason();
	}

	/**
	 * The number of events waiting to be written to this client.
	 * @return the queue's current size
	 */
	public int queued() {
		return this.stream.queued();
	}

	/**
	 * How many events this client did not get because its queue was full.
	 * @return the count
	 */
	public long dropped() {
		return this.stream.dropped();
	}

	/**
	 * Write this client's events to {@code out} until the client is closed or its
	 * connection fails, then close it. A write the client does not take is ended by
	 * interrupting the calling thread.
	 * @param out the client's response body
	 * @param flusher pushes what was written to the network
	 * @throws IllegalStateException if this client is already being streamed
	 * @see #streamTo(OutputStream, Flushable, Consumer)
	 */
	public void streamTo(OutputStream out, Flushable flusher) {
		streamTo(out, flusher, Thread::interrupt);
	}

	/**
	 * Write this client's events to {@code out} until the client is closed or its
	 * connection fails, then close it.
	 * <p>
	 * The stream opens with a comment (and the {@code retry} delay, if one is set),
	 * unless {@link #writeOpening} wrote it already, followed by any events the client
	 * missed since the id it reconnected with, flushed at once so the response is
	 * committed. Events that arrive together are written together and flushed once. A
	 * stream that stays silent for most of the heartbeat period gets a comment line, and
	 * a quarter period later the blank line that ends it: a connection the client closed
	 * is only noticed when a write fails, and the first write after the client left still
	 * succeeds. Events still queued when the client is closed are not written.
	 * <p>
	 * The broadcaster's {@link SseClientListener}s are told on this thread: before
	 * anything is written here, and once the stream has ended and the client is closed.
	 * <p>
	 * A client that stops reading blocks the write in progress, and completing its
	 * response would block too. So when the client is closed in the middle of a write,
	 * or because it does not keep up (its queue overflowed, or a write took longer than
	 * the write timeout), {@code abort} is called from the closing thread, with the
	 * thread that streams, to end the write and drop the connection.
	 * @param out the client's response body
	 * @param flusher pushes what was written to the network
	 * @param abort aborts the connection and ends the given thread's write, for example
	 * {@code Thread::interrupt} where an interrupted write fails and closes the
	 * connection
	 * @throws IllegalStateException if this client is already being streamed
	 */
	public void streamTo(OutputStream out, Flushable flusher, Consumer<Thread> abort) {
		if (!this.stream.streamTo(this, out, flusher, abort)) {
			throw new IllegalStateException("Client " + this.id + " is already streaming");
		}
	}

	/**
	 * Write the opening of this client's stream now, on the calling thread: its opening
	 * comment (and {@code retry} delay, and an {@code sse-reset} when its missed events
	 * are lost), flushed at once. An endpoint calls this before handing the response to
	 * the thread that streams, so that the opening goes out with the response headers
	 * and the client knows it is connected without waiting for that thread.
	 * {@link #streamTo} then begins with the events the client missed: those may be more
	 * than the connection's buffers hold, and only the streaming thread's writes are
	 * aborted for a client that stops reading. Optional: without it, {@code streamTo}
	 * writes the opening itself.
	 * @param out the client's response body
	 * @param flusher pushes what was written to the network
	 * @return {@code false} if nothing was written: the client is closed, or its opening
	 * was written or streamed before
	 * @throws IOException if the write fails; the client stays open, for the caller to
	 * close
	 */
	public boolean writeOpening(OutputStream out, Flushable flusher) throws IOException {
		return this.stream.writeOpening(out, flusher);
	}

	/**
	 * End this client's stream at {@code deadline}, for example when the credential that
	 * opened it expires: what is queued for it by then is written, then one last event
	 * named {@value SseBroadcaster#EXPIRED_EVENT}, so that the browser can tell "log in
	 * again" from a network error, and it closes with {@link DisconnectReason#EXPIRED}.
	 * Returns at once; one timer of the broadcaster keeps every deadline. Of several
	 * deadlines, the earliest counts; one already past ends the stream now.
	 * @param deadline when the stream ends
	 */
	public void expireAt(Instant deadline) {
		Duration delay = Duration.between(Instant.now(), deadline);
		// Far enough for any credential, near enough that nanoTime arithmetic cannot overflow.
		long delayNanos = delay.isNegative() ? 0
				: (delay.getSeconds() < FOREVER_SECONDS) ? delay.toNanos() : FOREVER_SECONDS * 1_000_000_000L;
		this.deadlines.schedule(this, System.nanoTime() + delayNanos, EventEncoder.EXPIRED, DisconnectReason.EXPIRED);
	}

	/**
	 * Stop this client: its stream ends and the broadcaster forgets it. Idempotent.
	 */
	public void close() {
		close(DisconnectReason.CLOSED);
	}

	/**
	 * Stop this client, recording why. Only the first close counts.
	 * @param reason why the client is closed
	 */
	public void close(DisconnectReason reason) {
		this.stream.close(reason);
	}

	/**
	 * End the stream with {@code lastFrame} once what is queued is written.
	 */
	void end(byte[] lastFrame, DisconnectReason reason) {
		this.stream.end(lastFrame, reason);
	}

	/**
	 * End the stream because the broadcaster closes: with {@code lastFrame} once what is
	 * queued is written, or at once if no thread streams it yet.
	 */
	void endOnShutdown(byte[] lastFrame) {
		this.stream.endOrClose(lastFrame, DisconnectReason.SHUTDOWN);
	}

	void wakeToEnd() {
		this.stream.wakeToEnd();
	}

	/**
	 * Close the stream at once, as a revocation.
	 * @return whether it was open
	 */
	boolean revoke() {
		return this.stream.close(DisconnectReason.REVOKED);
	}

	boolean offer(EncodedEvent event) {
		return this.stream.offer(event);
	}

	/**
	 * Offer a live event unless the client already had it on another instance.
	 * @return whether it was queued
	 */
	boolean offerLive(EncodedEvent event) {
		return event.sequence() > this.receivedThrough && this.stream.offer(event);
	}

	/**
	 * The client came with an id of this epoch that this instance has not delivered yet:
	 * it had every event up to {@code sequence} elsewhere. Called, like
	 * {@link #offerLive} and {@link #forgetReceived}, under the fan-out's lock.
	 */
	void receivedThrough(long sequence) {
		this.receivedThrough = sequence;
	}

	/** The epoch ended: numbers from the client's old id no longer name events. */
	void forgetReceived() {
		this.receivedThrough = -1;
	}

	void onTick(long nowNanos, long quietNanos, long writeTimeoutNanos) {
		this.stream.onTick(nowNanos, quietNanos, writeTimeoutNanos);
	}

	@Override
	public String toString() {
		return "SseClient[id=" + this.id + ", user=" + user() + ", topics=" + topics() + ", open=" + isOpen() + "]";
	}

}
