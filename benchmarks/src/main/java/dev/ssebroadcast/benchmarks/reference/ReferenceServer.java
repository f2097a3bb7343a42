package dev.ssebroadcast.benchmarks.reference;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The bare reference: one selector thread and plain JDK NIO. A published event is
 * encoded once, as one HTTP chunk, and written without blocking to every stream; bytes a
 * socket cannot take yet wait in that stream's own small backlog.
 * <p>
 * It serves the same URLs as the other servers ({@code GET /sse}, {@code POST /broadcast}
 * with a {@code text/plain} body) and nothing else, which makes it the practical limit of
 * this machine and load tool rather than a server anyone should deploy.
 */
public final class ReferenceServer {

	private static final byte[] STREAM_HEADERS = ("HTTP/1.1 200 OK\r\n" + "Content-Type: text/event-stream\r\n"
			+ "Cache-Control: no-cache\r\n" + "Transfer-Encoding: chunked\r\n\r\n")
		.getBytes(StandardCharsets.US_ASCII);

	private final Selector selector;

	private final List<Connection> streams = new ArrayList<>();

	private ReferenceServer(int port) throws IOException {
		this.selector = Selector.open();
		ServerSocketChannel server = ServerSocketChannel.open();
		server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
		server.configureBlocking(false);
		server.register(this.selector, SelectionKey.OP_ACCEPT);
	}

	public static void main(String[] args) throws IOException {
		int port = ServerArguments.port(args);
		ReferenceServer server = new ReferenceServer(port);
		System.out.println("Reference server listening on 127.0.0.1:" + port);
		server.run();
	}

	private void run() throws IOException {
		while (true) {
			this.selector.select();
			Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
			while (keys.hasNext()) {
				SelectionKey key = keys.next();
				keys.remove();
				try {
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accept((ServerSocketChannel) key.channel());
					}
					else {
						Connection connection = (Connection) key.attachment();
						if (key.isWritable()) {
							connection.writePending();
						}
						if (key.isValid() && key.isReadable()) {
							read(connection);
						}
					}
				}
				catch (IOException ex) {
					drop((Connection) key.attachment());
				}
			}
		}
	}

	private void accept(ServerSocketChannel server) throws IOException {
		SocketChannel channel;
		while ((channel = server.accept()) != null) {
			channel.configureBlocking(false);
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			Connection connection = new Connection(channel);
			connection.key = channel.register(this.selector, SelectionKey.OP_READ, connection);
		}
	}

	private void read(Connection connection) throws IOException {
		HttpRequest request = connection.read();
		if (request == null) {
			return;
		}
		if (request.isStream()) {
			connection.streaming = true;
			this.streams.add(connection);
			connection.write(ByteBuffer.wrap(STREAM_HEADERS));
			connection.write(Chunks.of(": connected\n\n".getBytes(StandardCharsets.UTF_8)));
		}
		else if (request.isBroadcast()) {
			int clients = broadcast(request.body());
			connection.write(HttpRequest.jsonResponse("{\"clients\":" + clients + "}"));
			connection.afterResponse();
		}
		else {
			connection.write(HttpRequest.notFound());
			connection.afterResponse();
		}
	}

	private int broadcast(byte[] data) {
		ByteBuffer chunk = Chunks.of(Chunks.event(data));
		int delivered = 0;
		for (int i = this.streams.size() - 1; i >= 0; i--) {
			Connection stream = this.streams.get(i);
			try {
				if (stream.write(chunk.duplicate())) {
					delivered++;
				}
				else {
					drop(stream);
				}
			}
			catch (IOException ex) {
				drop(stream);
			}
		}
		return delivered;
	}

	private void drop(@Nullable Connection connection) {
		if (connection == null) {
			return;
		}
		if (connection.streaming) {
			int index = this.streams.indexOf(connection);
			if (index >= 0) {
				// Order among streams does not matter: swap with the last and shrink.
				Connection last = this.streams.removeLast();
				if (index < this.streams.size()) {
					this.streams.set(index, last);
				}
			}
			connection.streaming = false;
		}
		connection.close();
	}

}
