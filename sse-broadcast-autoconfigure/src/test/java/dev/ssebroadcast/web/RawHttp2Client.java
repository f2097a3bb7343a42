package dev.ssebroadcast.web;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP/2 client with prior knowledge on a bare socket, frame by frame, whose streams
 * read only while the test lets them: a stalled stream grants the server no more window
 * while the other streams of the same connection go on reading. Real clients hide the
 * flow control that makes one stream stall alone. It sees what the server does to the
 * connection ({@code GOAWAY}) and to each stream ({@code RST_STREAM}, end of stream);
 * {@link #state()} says all of it, for assertion messages.
 */
final class RawHttp2Client implements AutoCloseable {

	private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final int DATA = 0x0;

	private static final int HEADERS = 0x1;

	private static final int RST_STREAM = 0x3;

	private static final int SETTINGS = 0x4;

	private static final int PING = 0x6;

	private static final int GOAWAY = 0x7;

	private static final int WINDOW_UPDATE = 0x8;

	private static final int END_STREAM = 0x1;

	private static final int ACK = 0x1;

	/** The setting that caps the streams one connection may have open. */
	static final int MAX_CONCURRENT_STREAMS = 0x3;

	/** HTTP/2's error code for a stream its client no longer wants. */
	static final long CANCEL = 0x8;

	private final Socket socket;

	private final OutputStream out;

	private final String authority;

	private final ConcurrentMap<Integer, Stream> streams = new ConcurrentHashMap<>();

	private final Map<Integer, Long> serverSettings = new ConcurrentHashMap<>();

	private final AtomicInteger unacknowledged = new AtomicInteger();

	private volatile @Nullable String goAway;

	private volatile boolean closed;

	private int nextStreamId = 1;

	private RawHttp2Client(Socket socket, String authority) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		this.authority = authority;
	}

	static RawHttp2Client connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port));
		RawHttp2Client client = new RawHttp2Client(socket, "127.0.0.1:" + port);
		synchronized (client.out) {
			client.out.write(PREFACE);
			client.frame(SETTINGS, 0, 0, new byte[0]);
		}
		Thread.ofVirtual().name("h2-client-reader").start(client::read);
		return client;
	}

	/**
	 * Open a stream with a {@code GET} of {@code path}.
	 * @param reading whether the stream grants the server window as it reads
	 * @return the stream's id
	 */
	synchronized int get(String path, boolean reading) throws IOException {
		int id = this.nextStreamId;
		this.nextStreamId += 2;
		this.streams.put(id, new Stream(reading));
		ByteArrayOutputStream block = new ByteArrayOutputStream();
		block.write(0x82); // :method GET
		block.write(0x86); // :scheme http
		literal(block, 4, path); // :path
		literal(block, 1, this.authority); // :authority
		literal(block, 19, "text/event-stream"); // accept
		// END_HEADERS, and END_STREAM: the request has no body.
		frame(HEADERS, 0x4 | END_STREAM, id, block.toByteArray());
		return id;
	}

	/** Cancel a stream, as a browser does when a page closes its EventSource. */
	void cancel(int id) throws IOException {
		frame(RST_STREAM, 0, id, ByteBuffer.allocate(4).putInt((int) CANCEL).array());
	}

	/** Let a stalled stream read again. */
	void resume(int id) throws IOException {
		Stream stream = this.streams.get(id);
		stream.reading = true;
		windowUpdate(id, stream.unacknowledged.getAndSet(0));
	}

	/** What the stream has received so far. */
	String text(int id) {
		return this.streams.get(id).text();
	}

	int bytes(int id) {
		return this.streams.get(id).received.size();
	}

	/** How often {@code text} occurs in what the stream has received. */
	int count(int id, String text) {
		String received = text(id);
		int count = 0;
		for (int at = received.indexOf(text); at >= 0; at = received.indexOf(text, at + text.length())) {
			count++;
		}
		return count;
	}

	/** The error code the server reset the stream with, or {@code null}. */
	@Nullable Long resetBy(int id) {
		return this.streams.get(id).reset;
	}

	boolean ended(int id) {
		return this.streams.get(id).ended;
	}

	/** The server's {@code GOAWAY}, as "last stream, error code, message", or {@code null}. */
	@Nullable String goAway() {
		return this.goAway;
	}

	boolean isClosed() {
		return this.closed;
	}

	/** A setting the server sent, by its id. */
	@Nullable Long serverSetting(int id) {
		return this.serverSettings.get(id);
	}

	/** Everything this client knows, for assertion messages. */
	String state() {
		Map<Integer, String> streams = new TreeMap<>();
		this.streams.forEach((id, stream) -> streams.put(id, stream.describe()));
		return "settings " + this.serverSettings + ", goaway " + this.goAway + ", socket "
				+ (this.closed ? "closed" : "open") + ", streams " + streams;
	}

	private void read() {
		try (DataInputStream in = new DataInputStream(this.socket.getInputStream())) {
			while (true) {
				int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
				int type = in.readUnsignedByte();
				int flags = in.readUnsignedByte();
				int id = in.readInt() & 0x7fffffff;
				byte[] payload = in.readNBytes(length);
				if (payload.length < length) {
					break;
				}
				onFrame(type, flags, id, ByteBuffer.wrap(payload));
			}
		}
		catch (IOException ex) {
			// The connection ended; state() says how.
		}
		finally {
			this.closed = true;
		}
	}

	private void onFrame(int type, int flags, int id, ByteBuffer payload) throws IOException {
		Stream stream = this.streams.get(id);
		switch (type) {
			case DATA -> {
				int length = payload.remaining();
				if (stream != null) {
					stream.received.write(payload.array(), 0, length);
					stream.ended |= (flags & END_STREAM) != 0;
				}
				// The connection's window always: only the stream's stalls.
				grant(0, this.unacknowledged, length);
				if (stream != null) {
					stream.unacknowledged.addAndGet(length);
					if (stream.reading) {
						grant(id, stream.unacknowledged, 0);
					}
				}
			}
			case HEADERS -> {
				if (stream != null) {
					stream.headers = true;
					stream.ended |= (flags & END_STREAM) != 0;
				}
			}
			case RST_STREAM -> {
				if (stream != null) {
					stream.reset = payload.getInt() & 0xffffffffL;
				}
			}
			case SETTINGS -> {
				if ((flags & ACK) == 0) {
					while (payload.remaining() >= 6) {
						this.serverSettings.put(payload.getShort() & 0xffff, payload.getInt() & 0xffffffffL);
					}
					frame(SETTINGS, ACK, 0, new byte[0]);
				}
			}
			case PING -> {
				if ((flags & ACK) == 0) {
					frame(PING, ACK, 0, payload.array());
				}
			}
			case GOAWAY -> {
				int last = payload.getInt() & 0x7fffffff;
				long error = payload.getInt() & 0xffffffffL;
				byte[] message = new byte[payload.remaining()];
				payload.get(message);
				this.goAway = "last stream " + last + ", error " + error + ", "
						+ new String(message, StandardCharsets.UTF_8);
			}
			default -> {
				// WINDOW_UPDATE, PRIORITY, CONTINUATION: nothing this client needs.
			}
		}
	}

	/**
	 * Grant the window back in steps of 16 KB, as browsers do: a window update for every
	 * small frame counts as abuse to a server that guards against it.
	 */
	private void grant(int id, AtomicInteger unacknowledged, int received) throws IOException {
		if (unacknowledged.addAndGet(received) >= 16 * 1024) {
			windowUpdate(id, unacknowledged.getAndSet(0));
		}
	}

	private void windowUpdate(int id, int increment) throws IOException {
		if (increment > 0 && !this.closed) {
			frame(WINDOW_UPDATE, 0, id, ByteBuffer.allocate(4).putInt(increment).array());
		}
	}

	private void frame(int type, int flags, int id, byte[] payload) throws IOException {
		byte[] header = ByteBuffer.allocate(9)
			.put((byte) (payload.length >>> 16))
			.putShort((short) payload.length)
			.put((byte) type)
			.put((byte) flags)
			.putInt(id)
			.array();
		synchronized (this.out) {
			this.out.write(header);
			this.out.write(payload);
			this.out.flush();
		}
	}

	/** An HPACK literal header field without indexing, with a name from the static table. */
	private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
		// A four-bit prefix: a larger index continues in the next byte.
		if (nameIndex < 15) {
			block.write(nameIndex);
		}
		else {
			block.write(15);
			block.write(nameIndex - 15);
		}
		block.write(bytes.length);
		block.writeBytes(bytes);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private static final class Stream {

		final ByteArrayOutputStream received = new ByteArrayOutputStream() {

			@Override
			public synchronized int size() {
				return super.size();
			}

		};

		final AtomicInteger unacknowledged = new AtomicInteger();

		volatile boolean reading;

		volatile boolean headers;

		volatile boolean ended;

		volatile @Nullable Long reset;

		Stream(boolean reading) {
			this.reading = reading;
		}

		String text() {
			return this.received.toString(StandardCharsets.UTF_8);
		}

		String describe() {
			return (this.reading ? "reading" : "stalled") + " " + this.received.size() + " bytes"
					+ (this.headers ? "" : ", no headers") + (this.ended ? ", ended" : "")
					+ ((this.reset != null) ? ", reset " + this.reset : "") + ", ending '" + tail() + "'";
		}

		private String tail() {
			String text = text();
			return text.substring(Math.max(0, text.length() - 60)).replace("\n", "\\n");
		}

	}

}
