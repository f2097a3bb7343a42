package dev.ssebroadcast.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

import org.jspecify.annotations.Nullable;

/**
 * One client of the shutdown handover, on a virtual thread of its own: it streams from
 * its first server and, when that stream ends or the connection fails, waits for the
 * last {@code retry} delay it was sent and resumes on the second server with the id of
 * the last event it got as {@code Last-Event-ID}, as a browser's {@code EventSource}
 * does behind a load balancer that stopped routing to the first. It checks the sequence
 * numbers of the events it gets across both streams.
 */
final class HandoverClient implements Runnable {

	/** The delay a browser uses until a stream sends {@code retry}. */
	private static final long BROWSER_RETRY_MILLIS = 3000;

	private static final int CONNECT_TIMEOUT_MILLIS = 120_000;

	private final InetSocketAddress first;

	private final InetSocketAddress second;

	private final Semaphore firstConnects;

	private final byte[] line = new byte[256];

	private volatile boolean stopped;

	private volatile @Nullable Socket socket;

	private long retryMillis = BROWSER_RETRY_MILLIS;

	private @Nullable String lastEventId;

	private @Nullable String pendingId;

	private boolean sawComment;

	private boolean firstConnectReleased;

	private boolean sawData;

	private boolean sawReset;

	private long dataSeq;

	private int lineLength;

	// Read by the run's thread; written by this client's only.
	volatile boolean connectedToFirst;

	volatile long endedNanos;

	volatile long secondAttemptNanos;

	volatile long resumedNanos;

	volatile long lastSeq;

	volatile long lost;

	volatile long duplicates;

	volatile int resets;

	volatile int failedAttempts;

	volatile long endingRetryMillis = -1;

	// Where the last sse-reset came, for the timeline: A or B, before or after the stream
	// opened, the id this connection was opened with, the reset's own id and the last
	// number seen; then the first number received after it.
	volatile String lastReset = "";

	private @Nullable String sentId;

	private boolean afterReset;

	HandoverClient(InetSocketAddress first, InetSocketAddress second, Semaphore firstConnects) {
		this.first = first;
		this.second = second;
		this.firstConnects = firstConnects;
	}

	@Override
	public void run() {
		try {
			this.firstConnects.acquire();
			stream(this.first, true);
			this.endedNanos = System.nanoTime();
			this.endingRetryMillis = this.retryMillis;
			while (!this.stopped) {
				Thread.sleep(this.retryMillis);
				if (this.secondAttemptNanos == 0) {
					this.secondAttemptNanos = System.nanoTime();
				}
				stream(this.second, false);
				if (this.resumedNanos == 0) {
					this.failedAttempts++;
				}
			}
		}
		catch (InterruptedException ex) {
			// Stopped.
		}
	}

	/** Stream from {@code server} until the stream ends or fails. */
	private void stream(InetSocketAddress server, boolean isFirst) {
		try (Socket socket = new Socket()) {
			this.socket = socket;
			socket.connect(server, CONNECT_TIMEOUT_MILLIS);
			socket.getOutputStream().write(request(server));
			InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
			String status = readHeadLine(in);
			if (status == null || !status.contains(" 200")) {
				return;
			}
			String header;
			do {
				// Headers: Tomcat streams chunked.
				header = readHeadLine(in);
			}
			while (header != null && !header.isEmpty());
			readChunks(in, isFirst);
		}
		catch (IOException ex) {
			// The stream ended with its connection.
		}
		finally {
			if (isFirst) {
				releaseFirstConnect();
			}
			this.socket = null;
		}
	}

	private byte[] request(InetSocketAddress server) {
		String id = this.lastEventId;
		this.sentId = id;
		return ("GET /sse HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort() + "\r\nAccept: text/event-stream\r\n"
				+ ((id != null) ? "Last-Event-ID: " + id + "\r\n" : "") + "\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private void readChunks(InputStream in, boolean isFirst) throws IOException {
		while (true) {
			String sizeLine = readHeadLine(in);
			if (sizeLine == null) {
				return;
			}
			int end = sizeLine.indexOf(';');
			int size = Integer.parseInt((end >= 0) ? sizeLine.substring(0, end).trim() : sizeLine.trim(), 16);
			if (size == 0) {
				return;
			}
			for (int i = 0; i < size; i++) {
				int b = in.read();
				if (b < 0) {
					return;
				}
				if (b == '\n') {
					endOfLine(isFirst);
				}
				else if (this.lineLength < this.line.length) {
					this.line[this.lineLength++] = (byte) b;
				}
			}
			readHeadLine(in);
		}
	}

	private void endOfLine(boolean isFirst) {
		int length = this.lineLength;
		this.lineLength = 0;
		if (length > 0 && this.line[length - 1] == '\r') {
			length--;
		}
		if (length == 0) {
			dispatch(isFirst);
			return;
		}
		String text = new String(this.line, 0, length, StandardCharsets.UTF_8);
		if (text.startsWith(":")) {
			this.sawComment = true;
		}
		else if (text.startsWith("id:")) {
			this.pendingId = value(text, 3);
		}
		else if (text.startsWith("retry:")) {
			String value = value(text, 6);
			if (value.matches("[0-9]{1,9}")) {
				this.retryMillis = Long.parseLong(value);
			}
		}
		else if (text.startsWith("event:")) {
			this.sawReset |= value(text, 6).equals("sse-reset");
		}
		else if (text.startsWith("data:")) {
			String value = value(text, 5);
			int space = value.indexOf(' ');
			String seq = (space > 0) ? value.substring(0, space) : value;
			if (seq.matches("[0-9]{1,18}")) {
				this.dataSeq = Long.parseLong(seq);
				this.sawData = true;
			}
		}
	}

	private void dispatch(boolean isFirst) {
		if (this.pendingId != null) {
			this.lastEventId = this.pendingId;
		}
		if (this.sawReset) {
			this.resets++;
			boolean opened = isFirst ? this.connectedToFirst : this.resumedNanos != 0;
			this.lastReset = (isFirst ? "A" : "B") + (opened ? " open" : " opening") + " sent=" + this.sentId
					+ " reset=" + this.pendingId + " lastSeq=" + this.lastSeq;
			this.afterReset = true;
		}
		else if (this.sawData) {
			received(this.dataSeq);
		}
		else if (this.sawComment) {
			if (isFirst) {
				this.connectedToFirst = true;
				releaseFirstConnect();
			}
			else if (this.resumedNanos == 0) {
				this.resumedNanos = System.nanoTime();
			}
		}
		this.pendingId = null;
		this.sawComment = false;
		this.sawData = false;
		this.sawReset = false;
	}

	// Another client may start connecting once this one is connected (or failed).
	private void releaseFirstConnect() {
		if (!this.firstConnectReleased) {
			this.firstConnectReleased = true;
			this.firstConnects.release();
		}
	}

	private void received(long seq) {
		if (this.afterReset) {
			this.afterReset = false;
			this.lastReset += " next=" + seq;
		}
		long last = this.lastSeq;
		if (seq <= last) {
			this.duplicates++;
			return;
		}
		// Numbers start at 1, after every client connected.
		if (seq > last + 1) {
			this.lost += seq - last - 1;
		}
		this.lastSeq = seq;
	}

	private static @Nullable String readHeadLine(InputStream in) throws IOException {
		StringBuilder text = new StringBuilder(32);
		int b;
		while ((b = in.read()) >= 0) {
			if (b == '\n') {
				int n = text.length();
				return (n > 0 && text.charAt(n - 1) == '\r') ? text.substring(0, n - 1) : text.toString();
			}
			text.append((char) b);
		}
		return (text.length() > 0) ? text.toString() : null;
	}

	private static String value(String line, int from) {
		return (line.length() > from && line.charAt(from) == ' ') ? line.substring(from + 1) : line.substring(from);
	}

	/** Stop streaming and close the connection. */
	void stop() {
		this.stopped = true;
		Socket socket = this.socket;
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}
	}

}
