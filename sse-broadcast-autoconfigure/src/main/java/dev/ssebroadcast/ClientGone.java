package dev.ssebroadcast;

import java.io.EOFException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Tells a write that failed because the client left (a closed tab, a dropped network)
 * from one that failed for another reason. Containers wrap the socket's error in their
 * own exception, so the whole chain of causes is read: an end of stream, or the
 * operating system's "broken pipe" or "connection reset".
 */
final class ClientGone {

	private static final String[] LEFT = { "broken pipe", "connection reset", "connection was aborted",
			"connection abort" };

	private ClientGone() {
	}

	// Deep enough for any container's wrapping; a cycle of causes ends here too.
	private static final int MAX_DEPTH = 16;

	static boolean isCause(Throwable failure) {
		Throwable cause = failure;
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			if (cause instanceof EOFException || saysClientLeft(cause.getMessage())) {
				return true;
			}
			cause = cause.getCause();
		}
		return false;
	}

	private static boolean saysClientLeft(@Nullable String message) {
		if (message == null) {
			return false;
		}
		String lower = message.toLowerCase(Locale.ROOT);
		for (String phrase : LEFT) {
			if (lower.contains(phrase)) {
				return true;
			}
		}
		return false;
	}

}
