package dev.ssebroadcast;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A bounded queue between the thread that publishes to one client and the single thread
 * that streams to it.
 * <p>
 * {@link #offer} never blocks, takes no lock and allocates nothing while the queue has
 * room in its current slots: a publisher that fans out to thousands of clients must not
 * wait for, or contend with, any one of them. When the queue is full or closed,
 * {@code offer} returns {@code false} and the caller decides what that means.
 * {@link #take} is for the one streaming thread: it parks until an element arrives, the
 * queue is closed or someone calls {@link #wake()}.
 * <p>
 * Offers must not run concurrently (the broadcaster makes them under one lock); any
 * number of threads may poll (the streaming thread, and a publisher that drops the oldest
 * element to make room), with at most one thread in {@code take} at a time. The queue
 * starts with a few slots and doubles them, up to its capacity, only when a client falls
 * that far behind: an idle client holds a few slots, not its capacity.
 *
 * @param <E> the element type
 */
final class ClientQueue<E> {

	private static final int INITIAL_SLOTS = 2;

	private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

	private static final VarHandle HEAD;

	static {
		try {
			HEAD = MethodHandles.lookup().findVarHandle(ClientQueue.class, "head", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final int capacity;

	// Replaced by a larger copy as the queue grows; position p lives at p & (length - 1).
	private volatile Object[] slots;

	// The next position to take, moved on by whichever poller takes it.
	private volatile long head;

	// The next position to fill, written only by the offering thread.
	private volatile long tail;

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
		this.slots = new Object[Math.min(INITIAL_SLOTS, slotsFor(capacity))];
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
		long tail = this.tail;
		long head = this.head;
		if (tail - head >= this.capacity) {
			return false;
		}
		Object[] slots = this.slots;
		if (tail - head >= slots.length) {
			slots = grow(slots, head, tail);
		}
		SLOT.setRelease(slots, index(tail, slots), element);
		this.tail = tail + 1;
		wakeReader();
		return true;
	}

	/**
	 * Remove the oldest element without blocking.
	 * @return the element, or {@code null} if the queue is empty
	 */
	@SuppressWarnings("unchecked")
	@Nullable E poll() {
		while (true) {
			long head = this.head;
			if (head >= this.tail) {
				return null;
			}
			// Read after the tail: slots that hold every position below it.
			Object[] slots = this.slots;
			int index = index(head, slots);
			Object element = SLOT.getAcquire(slots, index);
			if (HEAD.compareAndSet(this, head, head + 1)) {
				// Unless the producer has already reused the slot.
				SLOT.compareAndSet(slots, index, element, null);
				return (E) element;
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
		long size = this.tail - this.head;
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

	/** How many slots the queue has now; for tests. */
	int slotCount() {
		return this.slots.length;
	}

	// Twice the slots, the waiting elements copied to their places in the new array. A
	// poller still reading the old array takes the same elements from it; a reference it
	// thereby leaves in the new array is overwritten when that slot is next filled.
	private Object[] grow(Object[] slots, long head, long tail) {
		Object[] grown = new Object[Math.min(slots.length * 2, slotsFor(this.capacity))];
		for (long position = head; position < tail; position++) {
			grown[index(position, grown)] = SLOT.getAcquire(slots, index(position, slots));
		}
		this.slots = grown;
		return grown;
	}

	private static int index(long position, Object[] slots) {
		return (int) position & (slots.length - 1);
	}

	// The smallest power of two that holds capacity elements.
	private static int slotsFor(int capacity) {
		return (capacity == 1) ? 1 : Integer.highestOneBit(capacity - 1) << 1;
	}

}
