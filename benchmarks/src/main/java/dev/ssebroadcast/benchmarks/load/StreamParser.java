package dev.ssebroadcast.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Reads one SSE response as its bytes arrive, in any split: the HTTP head, chunked
 * transfer encoding, then {@code text/event-stream} lines. Events are reported without
 * creating strings: the load tool's own receiving cost is part of every figure, so it
 * must stay small.
 * <p>
 * Event data is expected as {@code <seq> <publish nanoTime> <padding>}, which is what
 * {@link Publisher} sends.
 */
final class StreamParser {

	/** What the parser found. */
	interface Listener {

		/** A comment-only block, such as {@code : connected}. */
		void onComment();

		/** An event whose data started with a sequence number and a timestamp. */
		void onEvent(long seq, long publishedNanos);

		/** The response was not a 200 event stream. */
		void onBadResponse(String statusLine);

	}

	private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

	private enum State {

		HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, PLAIN_BODY, DONE

	}

	private final Listener listener;

	private State state = State.HEAD;

	private @Nullable StringBuilder head = new StringBuilder(256);

	private int chunkRemaining;

	private int chunkSize;

	private boolean inExtension;

	private final byte[] line = new byte[160];

	private int lineLength;

	private boolean sawComment;

	private boolean sawData;

	private long seq;

	private long publishedNanos;

	StreamParser(Listener listener) {
		this.listener = listener;
	}

	void feed(byte[] bytes, int offset, int length) {
		int i = offset;
		int end = offset + length;
		while (i < end) {
			switch (this.state) {
				case HEAD -> i = readHead(bytes, i, end);
				case CHUNK_SIZE -> i = readChunkSize(bytes, i, end);
				case CHUNK_DATA -> {
					int n = Math.min(this.chunkRemaining, end - i);
					body(bytes, i, n);
					i += n;
					this.chunkRemaining -= n;
					if (this.chunkRemaining == 0) {
						this.state = State.CHUNK_END;
						this.chunkRemaining = 2;
					}
				}
				case CHUNK_END -> {
					int n = Math.min(this.chunkRemaining, end - i);
					i += n;
					this.chunkRemaining -= n;
					if (this.chunkRemaining == 0) {
						this.state = State.CHUNK_SIZE;
					}
				}
				case PLAIN_BODY -> {
					body(bytes, i, end - i);
					i = end;
				}
				case DONE -> i = end;
			}
		}
	}

	private int readHead(byte[] bytes, int i, int end) {
		while (i < end) {
			this.head.append((char) (bytes[i++] & 0xff));
			int n = this.head.length();
			if (n >= 4 && this.head.charAt(n - 1) == '\n' && this.head.charAt(n - 2) == '\r'
					&& this.head.charAt(n - 3) == '\n' && this.head.charAt(n - 4) == '\r') {
				String text = this.head.toString();
				this.head = null;
				String statusLine = text.substring(0, text.indexOf('\r'));
				if (!statusLine.contains(" 200")) {
					this.state = State.DONE;
					this.listener.onBadResponse(statusLine);
					return end;
				}
				boolean chunked = text.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
				this.state = chunked ? State.CHUNK_SIZE : State.PLAIN_BODY;
				return i;
			}
		}
		return i;
	}

	private int readChunkSize(byte[] bytes, int i, int end) {
		while (i < end) {
			byte b = bytes[i++];
			if (b == '\n') {
				int size = this.chunkSize;
				this.chunkSize = 0;
				this.inExtension = false;
				if (size == 0) {
					this.state = State.DONE;
					return end;
				}
				this.chunkRemaining = size;
				this.state = State.CHUNK_DATA;
				return i;
			}
			if (!this.inExtension) {
				int digit = Character.digit(b, 16);
				if (digit >= 0) {
					this.chunkSize = this.chunkSize * 16 + digit;
				}
				else if (b != '\r') {
					this.inExtension = true;
				}
			}
		}
		return i;
	}

	private void body(byte[] bytes, int offset, int length) {
		for (int i = offset; i < offset + length; i++) {
			byte b = bytes[i];
			if (b == '\n') {
				endOfLine();
			}
			else if (this.lineLength < this.line.length) {
				this.line[this.lineLength++] = b;
			}
		}
	}

	private void endOfLine() {
		int length = this.lineLength;
		this.lineLength = 0;
		if (length > 0 && this.line[length - 1] == '\r') {
			length--;
		}
		if (length == 0) {
			dispatch();
		}
		else if (this.line[0] == ':') {
			this.sawComment = true;
		}
		else if (startsWithData(length)) {
			readData(length);
		}
	}

	private void dispatch() {
		if (this.sawData) {
			this.listener.onEvent(this.seq, this.publishedNanos);
		}
		else if (this.sawComment) {
			this.listener.onComment();
		}
		this.sawData = false;
		this.sawComment = false;
	}

	private boolean startsWithData(int length) {
		if (length < DATA.length) {
			return false;
		}
		for (int i = 0; i < DATA.length; i++) {
			if (this.line[i] != DATA[i]) {
				return false;
			}
		}
		return true;
	}

	private void readData(int length) {
		int i = DATA.length;
		if (i < length && this.line[i] == ' ') {
			i++;
		}
		long first = 0;
		while (i < length && this.line[i] != ' ') {
			first = first * 10 + (this.line[i++] - '0');
		}
		i++;
		long second = 0;
		while (i < length && this.line[i] != ' ') {
			second = second * 10 + (this.line[i++] - '0');
		}
		this.seq = first;
		this.publishedNanos = second;
		this.sawData = true;
	}

}
