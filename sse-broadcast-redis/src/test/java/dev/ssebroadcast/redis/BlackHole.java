package dev.ssebroadcast.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback socket that accepts connections and never answers, as a Redis that hangs
 * (or a network path that drops everything after the handshake) looks to a client.
 */
public final class BlackHole implements AutoCloseable {

	private final ServerSocket socket;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private BlackHole(ServerSocket socket) {
		this.socket = socket;
		Thread.ofVirtual().name("black-hole").start(this::accept);
	}

	/**
	 * Open one on a free loopback port.
	 * @return the open black hole
	 */
	public static BlackHole open() {
		try {
			return new BlackHole(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.socket.getLocalPort();
	}

	/**
	 * How many connections it accepted.
	 * @return the count
	 */
	public int accepted() {
		return this.accepted.size();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
	}

	private void accept() {
		while (!this.socket.isClosed()) {
			try {
				this.accepted.add(this.socket.accept());
			}
			catch (IOException ex) {
				return;
			}
		}
	}

}
