package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A selector thread that reads many client streams and feeds each to its parser. Every
 * arrival in one read is stamped with the same {@code System.nanoTime()}.
 */
final class Receiver implements Runnable {

	final DeliveryLog log;

	private final Selector selector;

	private final Queue<SseConnection> added = new ConcurrentLinkedQueue<>();

	private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

	private volatile boolean running = true;

	Receiver(DeliveryLog log) throws IOException {
		this.log = log;
		this.selector = Selector.open();
	}

	void add(SseConnection connection) {
		this.added.add(connection);
		this.selector.wakeup();
	}

	void stop() {
		this.running = false;
		this.selector.wakeup();
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				this.selector.select(100);
				registerAdded();
				Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
				while (keys.hasNext()) {
					SelectionKey key = keys.next();
					keys.remove();
					SseConnection connection = (SseConnection) key.attachment();
					if (key.isValid() && key.isConnectable()) {
						connect(key, connection);
					}
					else {
						read(connection);
					}
				}
			}
			this.selector.close();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Receiver failed", ex);
		}
	}

	private void registerAdded() throws IOException {
		SseConnection connection;
		while ((connection = this.added.poll()) != null) {
			int interest = connection.channel.isConnectionPending() ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ;
			connection.channel.register(this.selector, interest, connection);
		}
	}

	private void connect(SelectionKey key, SseConnection connection) {
		try {
			if (connection.channel.finishConnect()) {
				connection.sendRequest();
				key.interestOps(SelectionKey.OP_READ);
			}
		}
		catch (IOException ex) {
			connection.fail(ex.toString());
		}
	}

	private void read(SseConnection connection) {
		try {
			this.buffer.clear();
			int n = connection.channel.read(this.buffer);
			if (n < 0) {
				connection.close();
				return;
			}
			this.log.now = System.nanoTime();
			connection.parser.feed(this.buffer.array(), 0, n);
		}
		catch (IOException ex) {
			connection.close();
		}
	}

}
