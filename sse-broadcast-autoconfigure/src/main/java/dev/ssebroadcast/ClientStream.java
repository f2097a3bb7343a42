package dev.ssebroadcast;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One client's path past the fan-out: its bounded queue and the overflow policy that
 * guards it, the loop that writes the queue to the client's connection, the heartbeat
 * and write deadline of that loop, and the count of what was delivered.
 * {@link SseClient} is its public handle.
 * <p>
 * Publishers call {@link #offer}, which never blocks. Exactly one thread runs
 * {@link #streamTo}. The heartbeat task calls {@link #onTick}. Any thread may
 * {@link #close}. Closing in the middle of a write, or because the client does not keep
 * up, aborts the connection rather than waiting for the write or for an orderly end: a
 * client that stopped reading would hold both until the container's own timeout.
 */
final class ClientStream {

	// Not a System.nanoTime() that a write could start at.
	private static final long NOT_WRITING = Long.MIN_VALUE;

	// A heartbeat is written in two halves a tick apart: its comment line, then the blank
	// line that ends it. A write to a connection the client has closed still succeeds and
	// only draws the client's reset; the second write is the one that fails.
	private static final int QUIET = 0;

	private static final int LINE_DUE = 1;

	private static final int LINE_WRITTEN = 2;

	private static final int END_DUE = 3;

	private static final int STREAMING = 1;

	private static final int OPENED = 2;

	private static final long RELEASE_POLL_NANOS = 10_000;

	private static final int HEARTBEAT_LINE_LENGTH = EventEncoder.HEARTBEAT.length - 1;

	private final OverflowPolicy overflow;

	private final ClientQueue<EncodedEvent> queue;

	private final byte[] prelude;

	private final List<EncodedEvent> missed;

	private final Shared shared;

	private final Consumer<DisconnectReason> onClose;

	private final LongAdder dropped = new LongAdder();

	// STREAMING once streamTo runs; OPENED once writeOpening or streamTo took the writing
	// of the prelude.
	private final AtomicInteger progress = new AtomicInteger();

	private final AtomicReference<@Nullable DisconnectReason> disconnectReason = new AtomicReference<>();

	// Set once close() has told onClose: the broadcaster no longer counts this client.
	private volatile boolean released;

	// Set once by end(): the stream writes what is queued, then this, then closes.
	private final AtomicReference<@Nullable Ending> ending = new AtomicReference<>();

	private volatile long lastWriteNanos = System.nanoTime();

	private volatile long writingSinceNanos = NOT_WRITING;

	private volatile int heartbeat = QUIET;

	private final Object writerLock = new Object();

	private @Nullable Thread writer;

	private Consumer<Thread> abort = Thread::interrupt;

	private boolean aborted;

	/**
	 * @param overflow what to do when the queue is full
	 * @param prelude written first, before anything else
	 * @param missed written after the prelude: the events the client missed
	 * @param shared what every client of the broadcaster shares
	 * @param onClose told once, on whatever thread closes the stream
	 */
	ClientStream(OverflowPolicy overflow, byte[] prelude, List<EncodedEvent> missed, Shared shared,
			Consumer<DisconnectReason> onClose) {
		this.overflow = overflow;
		this.queue = new ClientQueue<>(shared.queueCapacity());
		this.prelude = prelude;
		this.missed = missed;
		this.shared = shared;
		this.onClose = onClose;
	}

	OverflowPolicy overflow() {
		return this.overflow;
	}

	boolean isOpen() {
		return this.disconnectReason.get() == null;
	}

	@Nullable DisconnectReason disconnectReason() {
		return this.disconnectReason.get();
	}

	int queued() {
		return this.queue.size();
	}

	long dropped() {
		return this.dropped.sum();
	}

	/**
	 * Queue {@code event}, applying the overflow policy if the queue is full. Never
	 * blocks.
	 * @return whether the event was queued
	 */
	boolean offer(EncodedEvent event) {
		if (this.queue.offer(event)) {
			return true;
		}
		if (!isOpen()) {
			return false;
		}
		this.shared.counters().deepestQueue.accumulate(this.queue.capacity());
		return switch (this.overflow) {
			case DISCONNECT -> {
				close(DisconnectReason.OVERFLOW);
				yield false;
			}
			case DROP_NEWEST -> {
				drop();
				yield false;
			}
			case DROP_OLDEST -> makeRoomFor(event);
		};
	}

	private boolean makeRoomFor(EncodedEvent event) {
		while (!this.queue.offer(event)) {
			if (!isOpen()) {
				return false;
			}
			if (this.queue.poll() != null) {
				drop();
			}
		}
		return true;
	}

	private void drop() {
		this.dropped.increment();
		this.shared.counters().dropped.increment();
	}

	/**
	 * Write to {@code out} until closed or until a write fails, then close.
	 * @param abort ends the given thread's write by aborting the connection
	 * @return {@code false} at once if the stream runs already
	 * @see SseClient#streamTo(OutputStream, Flushable, Consumer)
	 */
	boolean streamTo(SseClient owner, OutputStream out, Flushable flusher, Consumer<Thread> abort) {
		// Whoever comes first writes the prelude: writeOpening, or this.
		int before = this.progress.getAndUpdate((state) -> state | STREAMING | OPENED);
		if ((before & STREAMING) != 0) {
			return false;
		}
		// Before this thread is the writer: a close meanwhile aborts writes, not listeners.
		this.shared.listeners().connected(owner);
		try {
			stream(out, flusher, abort, before);
		}
		finally {
			// The stream may see the close before the closing thread has let the client go:
			// tell listeners once it no longer counts.
			while (!this.released) {
				LockSupport.parkNanos(RELEASE_POLL_NANOS);
			}
			this.shared.listeners().disconnected(owner, this.disconnectReason.get());
		}
		return true;
	}

	private void stream(OutputStream out, Flushable flusher, Consumer<Thread> abort, int before) {
		synchronized (this.writerLock) {
			this.writer = Thread.currentThread();
			this.abort = abort;
		}
		DisconnectReason reason = DisconnectReason.CLOSED;
		try {
			boolean prelude = (before & OPENED) == 0;
			if ((prelude || !this.missed.isEmpty()) && !writeStart(out, flusher, prelude, this.missed)) {
				return;
			}
			List<EncodedEvent> batch = new ArrayList<>();
			while (true) {
				EncodedEvent event = (this.ending.get() == null) ? this.queue.take() : this.queue.poll();
				if (!isOpen()) {
					return;
				}
				Ending ending = this.ending.get();
				if (ending != null) {
					reason = writeEnding(out, flusher, event, ending, batch);
					return;
				}
				int beat = this.heartbeat;
				if (event == null && beat != LINE_DUE && beat != END_DUE) {
					continue;
				}
				if (!startWriting()) {
					return;
				}
				if (event == null) {
					writeHeartbeat(out, beat);
					flush(flusher);
					continue;
				}
				// Events that queued up meanwhile go out together, flushed once. The list
				// is reused, so a batch allocates nothing.
				int deepest = this.queue.size() + 1;
				while (event != null) {
					write(out, event.frame(), 0, event.frame().length);
					batch.add(event);
					deepest = Math.max(deepest, this.queue.size());
					event = this.queue.poll();
				}
				this.heartbeat = QUIET;
				flush(flusher);
				delivered(batch);
				batch.clear();
				this.shared.counters().deepestQueue.accumulate(Math.min(deepest, this.queue.capacity()));
			}
		}
		catch (IOException ex) {
			reason = ClientGone.isCause(ex) ? DisconnectReason.CLIENT_GONE : DisconnectReason.WRITE_ERROR;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			synchronized (this.writerLock) {
				this.writer = null;
				if (this.aborted) {
					// An interrupt from the abort is this stream's; the caller's thread goes on.
					Thread.interrupted();
				}
			}
			close(reason);
		}
	}

	/**
	 * Write {@code event} and whatever else is queued, then the ending's last frame, all
	 * flushed at once.
	 * @return the reason to close with
	 */
	private DisconnectReason writeEnding(OutputStream out, Flushable flusher, @Nullable EncodedEvent first,
			Ending ending, List<EncodedEvent> batch) throws IOException {
		if (!startWriting()) {
			return ending.reason();
		}
		// What was queued when the end came, not what a busy publisher adds meanwhile:
		// the history replays that to a client that resumes.
		int queued = this.queue.size();
		for (EncodedEvent event = first; event != null; event = (queued-- > 0) ? this.queue.poll() : null) {
			write(out, event.frame(), 0, event.frame().length);
			batch.add(event);
		}
		write(out, ending.lastFrame(), 0, ending.lastFrame().length);
		flush(flusher);
		delivered(batch);
		return ending.reason();
	}

	/**
	 * Ask the stream to end: it writes what is already queued, then {@code lastFrame},
	 * and closes with {@code reason}. Returns at once; a stream that does not take the
	 * writes is closed by the write timeout as usual. Only the first call counts.
	 * @return whether this call asked for the end of an open stream
	 */
	boolean end(byte[] lastFrame, DisconnectReason reason) {
		if (!isOpen() || !this.ending.compareAndSet(null, new Ending(lastFrame, reason))) {
			return false;
		}
		this.queue.wake();
		return true;
	}

	/**
	 * End a stream that a thread writes as {@link #end} does; close one that none writes
	 * yet at once, since nothing would write its end.
	 */
	void endOrClose(byte[] lastFrame, DisconnectReason reason) {
		if ((this.progress.get() & STREAMING) == 0) {
			close(reason);
		}
		else {
			end(lastFrame, reason);
		}
	}

	/**
	 * Wake a stream that was asked to end, again: it may have missed the first wake-up
	 * as it began to wait.
	 */
	void wakeToEnd() {
		if (this.ending.get() != null) {
			this.queue.wake();
		}
	}

	/**
	 * Write and flush the prelude now, on the calling thread, before {@link #streamTo}
	 * runs; {@code streamTo} then starts with the missed events. Those stay with the
	 * streaming thread, whose writes a client that stops reading can have aborted: a
	 * replay may be larger than the connection's buffers, the prelude never is.
	 * @return {@code false} if the stream was closed meanwhile or has begun already
	 * @throws IOException if the write fails; the stream stays open
	 */
	boolean writeOpening(OutputStream out, Flushable flusher) throws IOException {
		if (!this.progress.compareAndSet(0, OPENED)) {
			return false;
		}
		return writeStart(out, flusher, true, List.of());
	}

	private boolean writeStart(OutputStream out, Flushable flusher, boolean prelude, List<EncodedEvent> events)
			throws IOException {
		if (!startWriting()) {
			return false;
		}
		if (prelude) {
			write(out, this.prelude, 0, this.prelude.length);
		}
		for (EncodedEvent event : events) {
			write(out, event.frame(), 0, event.frame().length);
		}
		flush(flusher);
		delivered(events);
		return true;
	}

	/**
	 * Mark a write as begun, then check that the stream is still open: a concurrent
	 * {@link #close} either is seen here or sees the write and aborts it.
	 */
	private boolean startWriting() {
		this.writingSinceNanos = System.nanoTime();
		if (isOpen()) {
			return true;
		}
		this.writingSinceNanos = NOT_WRITING;
		return false;
	}

	private void write(OutputStream out, byte[] bytes, int offset, int length) throws IOException {
		// The deadline is per write: a large batch to a client that keeps reading is fine.
		this.writingSinceNanos = System.nanoTime();
		out.write(bytes, offset, length);
	}

	private void writeHeartbeat(OutputStream out, int beat) throws IOException {
		if (beat == LINE_DUE) {
			write(out, EventEncoder.HEARTBEAT, 0, HEARTBEAT_LINE_LENGTH);
			this.heartbeat = LINE_WRITTEN;
		}
		else {
			write(out, EventEncoder.HEARTBEAT, HEARTBEAT_LINE_LENGTH,
					EventEncoder.HEARTBEAT.length - HEARTBEAT_LINE_LENGTH);
			this.heartbeat = QUIET;
		}
	}

	private void flush(Flushable flusher) throws IOException {
		this.writingSinceNanos = System.nanoTime();
		flusher.flush();
		this.writingSinceNanos = NOT_WRITING;
		this.lastWriteNanos = System.nanoTime();
	}

	private void delivered(List<EncodedEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		this.shared.counters().delivered.add(events.size());
		SseDeliveryListener listener = this.shared.deliveryListener();
		long now = System.nanoTime();
		for (EncodedEvent event : events) {
			listener.delivered(now - event.publishedNanos());
		}
	}

	/**
	 * Called by the broadcaster's heartbeat task every tick: asks for the next half of a
	 * heartbeat when due, and closes the stream if a write has taken longer than
	 * {@code writeTimeoutNanos}.
	 * @param quietNanos how long the stream may stay silent before a heartbeat is asked
	 * for
	 */
	void onTick(long nowNanos, long quietNanos, long writeTimeoutNanos) {
		long writingSince = this.writingSinceNanos;
		if (writingSince != NOT_WRITING && nowNanos - writingSince >= writeTimeoutNanos) {
			close(DisconnectReason.WRITE_ERROR);
			return;
		}
		int beat = this.heartbeat;
		if (beat == LINE_WRITTEN) {
			beat = END_DUE;
			this.heartbeat = beat;
		}
		else if (beat == QUIET && nowNanos - this.lastWriteNanos >= quietNanos) {
			beat = LINE_DUE;
			this.heartbeat = beat;
		}
		// Again on every tick until written: a wake-up that comes just before the stream
		// waits is lost.
		if (beat == LINE_DUE || beat == END_DUE || this.ending.get() != null) {
			this.queue.wake();
		}
	}

	/**
	 * Stop this stream, recording why. Only the first close counts.
	 * @return whether this call closed it
	 */
	boolean close(DisconnectReason reason) {
		if (!this.disconnectReason.compareAndSet(null, reason)) {
			return false;
		}
		// Before the stream is woken, which might otherwise end it the normal way first.
		abortConnection(reason);
		this.queue.close();
		this.onClose.accept(reason);
		this.released = true;
		return true;
	}

	/**
	 * Abort the connection of a running stream that was closed in the middle of a write,
	 * or because its client does not keep up: in both cases, ending the response the
	 * normal way would wait for the client just like the write.
	 */
	private void abortConnection(DisconnectReason reason) {
		synchronized (this.writerLock) {
			Thread writer = this.writer;
			if (writer == null || writer == Thread.currentThread()) {
				return;
			}
			if (this.writingSinceNanos != NOT_WRITING || reason == DisconnectReason.OVERFLOW
					|| reason == DisconnectReason.WRITE_ERROR) {
				this.aborted = true;
				try {
					this.abort.accept(writer);
				}
				catch (RuntimeException ex) {
					// Whoever closes (a publisher, for an overflow) goes on regardless; the
					// server's own timeouts end the connection instead.
				}
			}
		}
	}

	/**
	 * How a stream asked to {@link #end} finishes.
	 *
	 * @param lastFrame written after the queued events
	 * @param reason recorded when the stream closes
	 */
	private record Ending(byte[] lastFrame, DisconnectReason reason) {

	}

	/**
	 * What every stream of one broadcaster shares.
	 *
	 * @param queueCapacity how many events may wait for a client
	 * @param counters the broadcaster's totals
	 * @param deliveryListener told about every delivered event
	 * @param listeners told when each stream starts and ends
	 */
	record Shared(int queueCapacity, Counters counters, SseDeliveryListener deliveryListener,
			ClientListeners listeners) {

	}

}
