package dev.ssebroadcast.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseClient;
import org.jspecify.annotations.Nullable;

/**
 * Closes a client as soon as the other end closes its connection, so that it stops
 * counting against {@code sse.broadcast.max-clients} at once rather than when the next
 * heartbeat fails. Neither Tomcat nor Jetty reads a connection while its response
 * streams, so nothing else notices. A browser sends nothing on its stream's connection
 * once the request is in, so the connection turning readable means it has ended; one
 * that sends bytes anyway is left to the heartbeat.
 * <p>
 * One thread, started with the first watch, waits on one selector for every watched
 * connection of the JVM's endpoints, and costs nothing while they are quiet.
 */
final class ClosedConnectionWatch {

	private static final Runnable NOT_WATCHED = () -> {
	};

	private final Selector selector;

	// Only the watch's thread reads into it.
	private final ByteBuffer scratch = ByteBuffer.allocate(64);

	private ClosedConnectionWatch() {
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open a selector to watch stream connections", ex);
		}
		Thread.ofPlatform().daemon().name("sse-closed-connections").start(this::run);
	}

	/**
	 * Close {@code client} with {@link DisconnectReason#CLIENT_GONE} once the other end
	 * of {@code channel} closes it.
	 * @param channel the client's connection, or {@code null} where it is not known
	 * @return what ends the watch, to be run before the connection serves anything else
	 */
	static Runnable watch(@Nullable SocketChannel channel, SseClient client) {
		if (channel == null) {
			return NOT_WATCHED;
		}
		Selector selector = Holder.INSTANCE.selector;
		try {
			SelectionKey key = channel.register(selector, SelectionKey.OP_READ, client);
			selector.wakeup();
			return () -> {
				key.cancel();
				// A channel closes for good only once every selector it is registered with
				// has let it go, which this one does when it next selects.
				selector.wakeup();
			};
		}
		catch (ClosedChannelException | IllegalStateException ex) {
			// A blocking or closed channel: the heartbeat finds it instead.
			return NOT_WATCHED;
		}
	}

	private void run() {
		while (true) {
			try {
				this.selector.select(this::readable);
			}
			catch (IOException | ClosedSelectorException ex) {
				return;
			}
		}
	}

	private void readable(SelectionKey key) {
		SseClient client = (SseClient) key.attachment();
		SocketChannel channel = (SocketChannel) key.channel();
		if (!key.isValid() || client == null) {
			return;
		}
		int read = read(channel);
		if (read == 0) {
			return;
		}
		key.cancel();
		if (read < 0) {
			client.close(DisconnectReason.CLIENT_GONE);
		}
	}

	/**
	 * @return -1 for an end of stream or a reset, 0 for nothing, more for bytes
	 */
	private int read(SocketChannel channel) {
		this.scratch.clear();
		try {
			return channel.read(this.scratch);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private static final class Holder {

		static final ClosedConnectionWatch INSTANCE = new ClosedConnectionWatch();

	}

}
