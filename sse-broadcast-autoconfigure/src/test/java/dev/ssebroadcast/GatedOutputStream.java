package dev.ssebroadcast;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;

/**
 * A connection that takes one write each time the test lets it, and otherwise blocks
 * the writing thread until it is interrupted: a client that reads only when told to, or
 * never.
 */
public final class GatedOutputStream extends OutputStream {

	private final Semaphore writes = new Semaphore(0);

	/** Let the next write, or the one waiting now, through. */
	public void letOneWriteThrough() {
		this.writes.release();
	}

	/**
	 * Whether a write waits to be let through.
	 * @return {@code true} while a thread is blocked in a write
	 */
	public boolean isWriting() {
		return this.writes.hasQueuedThreads();
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		try {
			this.writes.acquire();
		}
		catch (InterruptedException ex) {
			throw new IOException("Interrupted while writing", ex);
		}
	}

}
