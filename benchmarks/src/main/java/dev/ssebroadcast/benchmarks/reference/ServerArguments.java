package dev.ssebroadcast.benchmarks.reference;

/**
 * Reads {@code --server.port=N}, the one argument every compared server takes.
 */
final class ServerArguments {

	private ServerArguments() {
	}

	static int port(String[] args) {
		for (String arg : args) {
			if (arg.startsWith("--server.port=")) {
				return Integer.parseInt(arg.substring("--server.port=".length()));
			}
		}
		return 8080;
	}

}
