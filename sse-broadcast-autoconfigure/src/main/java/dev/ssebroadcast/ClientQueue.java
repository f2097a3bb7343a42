package dev.ssebroadcast;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A bounded queue between the threads that publish to one client and the single thread
 * that streams to it.
 * <p>
 * {@link #offer} never blocks, takes no lock and allocates nothing: a publisher that
 * fans out to thousands of clients must not wait for, or contend with, any one of them.
 * When the queue is full or closed, {@code offer} returns {@code false} and the caller
 * decides what that means. {@link #take} is for the one streaming thread: it parks until
 * an element arrives, the queue is closed or someone calls {@link #wake()}.
 * <p>
 * Safe for any number of offering and polling threads, with at most one thread in
 * {@code take} at a time. The ring is Dmitry Vyukov's bounded MPMC queue: each slot
 * carries a sequence number that tells producers and consumers whose turn it is.
 *
 * @param <E> the element type
 */
final class ClientQueue<E> {

	private final int capacity;

	private final AtomicReferenceArray<E> slots;

	private final AtomicLongArray sequences;

	private final AtomicLong tail = new AtomicLong();

	private final AtomicLong head = new AtomicLong();

	private volatile @Nullable Thread waitingReader;

	private volatile boolean closed;

	private volatile boolean woken;

	/**
	 * Create a queue that holds at most {@code capacity} elements.
	 * @param capacity the maximum number of queued elements, at least 1
	 */
	ClientQueue(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, but was " + capacity);
		}
		this.capacity = capacity;
		this.slots = new AtomicReferenceArray<>(capacity);
		this.sequences = new AtomicLongArray(capacity);
		for (int i = 0; i < capacity; i++) {
			this.sequences.set(i, i);
		}
	}

	/**
	 * Add an element without blocking and wake the reader.
	 * @param element the element to add
	 * @return {@code false} if the queue is full or closed
	 */
	boolean offer(E element) {
		if (this.closed) {
			return false;
		}
		long position = this.tail.get();
		while (true) {
			int slot = slot(position);
			long lag = this.sequences.get(slot) - position;
			if (lag == 0) {
				if (this.tail.compareAndSet(position, position + 1)) {
					this.slots.setPlain(slot, element);
					this.sequences.set(slot, position + 1);
					wakeReader();
					return true;
				}
				position = this.tail.get();
			}
			else if (lag < 0) {
				return false;
			}
			else {
				position = this.tail.get();
			}
		}
	}

	/**
	 * Remove the oldest element without blocking.
	 * @return the element, or {@code null} if the queue is empty
	 */
	@Nullable E poll() {
		long position = this.head.get();
		while (true) {
			int slot = slot(position);
			long lag = this.sequences.get(slot) - (position + 1);
			if (lag == 0) {
				if (this.head.compareAndSet(position, position + 1)) {
					E element = this.slots.getPlain(slot);
					this.slots.setPlain(slot, null);
					this.sequences.set(slot, position + this.capacity);
					return element;
				}
				position = this.head.get();
			}
			else if (lag < 0) {
				return null;
			}
			else {
				position = this.head.get();
			}
		}
	}

	/**
	 * Remove the oldest element, waiting for one if the queue is empty. Waiting takes no
	 * timer: a reader that must also act on time is woken by {@link #wake()}.
	 * @return the element, or {@code null} if the queue was closed or the reader woken
	 * first
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	@Nullable E take() throws InterruptedException {
		E element = poll();
		if (element != null || this.closed) {
			return element;
		}
		// Publish ourselves before looking again, so that an offer either sees us or is
		// seen by the next poll: no wake-up is lost.
		this.woken = false;
		this.waitingReader = Thread.currentThread();
		try {
			while (true) {
				element = poll();
				if (element != null || this.closed || this.woken) {
					return element;
				}
				LockSupport.park(this);
				if (Thread.interrupted()) {
					throw new InterruptedException();
				}
			}
		}
		finally {
			this.waitingReader = null;
		}
	}

	/**
	 * Make a waiting {@link #take()} return, with {@code null} if nothing is queued.
	 */
	void wake() {
		this.woken = true;
		wakeReader();
	}

	/**
	 * Refuse further offers and wake the reader. Queued elements stay pollable.
	 */
	void close() {
		this.closed = true;
		wakeReader();
	}

	/**
	 * The number of queued elements; only a snapshot while other threads use the queue.
	 * @return the number of elements
	 */
	int size() {
		long size = this.tail.get() - this.head.get();
		return (int) Math.max(0, Math.min(size, this.capacity));
	}

	/**
	 * The most elements the queue holds.
	 * @return the capacity
	 */
	int capacity() {
		return this.capacity;
	}

	private void wakeReader() {
		Thread reader = this.waitingReader;
		if (reader != null) {
			LockSupport.unpark(reader);
		}
	}

	private int slot(long position) {
		return (int) (position % this.capacity);
	}

}
