package dev.ssebroadcast.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} process for tests, on a free loopback port: the one on
 * the {@code PATH} if there is one, otherwise the binary that the
 * {@code com.github.codemonstur:embedded-redis} artifact ships. It can be killed and
 * started again on the same port, with the data it had or without.
 */
public final class RedisServer implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(20);

	private static Path binary;

	private final int port;

	private final boolean persistent;

	private final Path directory;

	private volatile Process process;

	private RedisServer(boolean persistent) throws IOException {
		this.port = freePort();
		this.persistent = persistent;
		this.directory = Files.createTempDirectory("redis-server-");
		// A test JVM that ends without closing this must not leave the server running.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			Process process = this.process;
			if (process != null) {
				process.destroyForcibly();
			}
		}));
		launch();
	}

	/**
	 * Start a server that keeps nothing on disk: killed and started again, it is empty.
	 * @return the running server
	 */
	public static RedisServer start() {
		return create(false);
	}

	/**
	 * Start a server that writes every change to an append-only file: killed and
	 * started again with {@link #restart()}, it has its data back.
	 * @return the running server
	 */
	public static RedisServer startPersistent() {
		return create(true);
	}

	private static RedisServer create(boolean persistent) {
		try {
			return new RedisServer(persistent);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	public boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * Kill the server with SIGKILL, as a crash would: nothing is saved on the way out.
	 */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Start the server again on the same port, with whatever it had written to disk.
	 */
	public void restart() {
		kill();
		launch();
	}

	/**
	 * Start the server again on the same port with no data, as a server without
	 * persistence comes back, or a failover to an empty replica.
	 */
	public void restartEmpty() {
		kill();
		deleteData();
		launch();
	}

	/**
	 * Send one command and return the server's first reply line, for example
	 * {@code +OK}.
	 * @param arguments the command and its arguments
	 * @return the reply's first line
	 */
	public String command(String... arguments) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			socket.setSoTimeout(5000);
			StringBuilder request = new StringBuilder("*" + arguments.length + "\r\n");
			for (String argument : arguments) {
				request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
				request.append(argument).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder line = new StringBuilder();
			int read;
			while ((read = in.read()) != -1 && read != '\n') {
				if (read != '\r') {
					line.append((char) read);
				}
			}
			return line.toString();
		}
		catch (IOException ex) {
			return "-" + ex;
		}
	}

	@Override
	public void close() {
		kill();
		deleteData();
		try {
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			// A temporary directory left behind.
		}
	}

	private void launch() {
		List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", Integer.toString(this.port),
				"--bind", "127.0.0.1", "--dir", this.directory.toString(), "--save", "", "--daemonize", "no"));
		command.addAll(this.persistent ? List.of("--appendonly", "yes", "--appendfsync", "no")
				: List.of("--appendonly", "no"));
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Awaitility.await("redis-server on port " + this.port)
			.atMost(STARTUP)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("redis-server exited: " + log());
				}
				return "+PONG".equals(command("PING"));
			});
	}

	private String log() throws IOException {
		return Files.readString(this.directory.resolve("redis.log"));
	}

	private void deleteData() {
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder())
				.filter((file) -> !file.equals(this.directory))
				.filter((file) -> !file.getFileName().toString().equals("redis.log"))
				.forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static synchronized Path binary() {
		if (binary == null) {
			binary = onPath();
			if (binary == null) {
				binary = extracted();
			}
		}
		return binary;
	}

	private static Path onPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			Path candidate = Path.of(directory, "redis-server");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/** The binary shipped in the embedded-redis jar for this machine, in a temporary file. */
	private static Path extracted() {
		String name = shippedBinary();
		try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("No redis-server on the PATH and no " + name + " on the class path");
			}
			Path file = Files.createTempFile("redis-server-", "");
			Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
			file.toFile().setExecutable(true);
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String shippedBinary() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		boolean arm = System.getProperty("os.arch").contains("aarch64");
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
