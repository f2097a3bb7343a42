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
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} process for tests, on a free loopback port: the one on
 * the {@code PATH} if there is one, otherwise the binary that the
 * {@code com.github.codemonstur:embedded-redis} artifact ships. It can be killed and
 * started again on the same port, with the data it had or without, and started as a
 * replica, a cluster node or a sentinel.
 */
public final class RedisServer implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(20);

	private static Path binary;

	// One for every server's commands: a client is slow to start.
	private static RedisClient client;

	private final int port;

	private final boolean persistent;

	private final Path directory;

	// Before the options: a configuration file, and the mode it is read in.
	private final List<String> leading;

	// After the options, which they may override.
	private final List<String> trailing;

	private volatile Process process;

	private RedisServer(boolean persistent) throws IOException {
		this(persistent, null, List.of());
	}

	private RedisServer(boolean persistent, @Nullable String sentinelConfiguration, List<String> arguments)
			throws IOException {
		this.port = arguments.contains("--cluster-enabled") ? freeClusterPort() : freePort();
		this.persistent = persistent;
		this.directory = Files.createTempDirectory("redis-server-");
		this.trailing = List.copyOf(arguments);
		if (sentinelConfiguration != null) {
			// A sentinel writes what it learns into its configuration file.
			Path file = Files.writeString(this.directory.resolve("sentinel.conf"), sentinelConfiguration);
			this.leading = List.of(file.toString(), "--sentinel");
		}
		else {
			this.leading = List.of();
		}
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

	/**
	 * Start a server that keeps nothing on disk, with more options, for example
	 * {@code --replicaof} or {@code --cluster-enabled}.
	 * @param arguments options as {@code redis-server} takes them on its command line
	 * @return the running server
	 */
	public static RedisServer startWith(String... arguments) {
		try {
			return new RedisServer(false, null, List.of(arguments));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start a sentinel that reads {@code configuration} (its {@code sentinel monitor}
	 * lines, for example) from a file of its own.
	 * @param configuration the content of its configuration file
	 * @return the running sentinel
	 */
	public static RedisServer startSentinel(String configuration) {
		try {
			return new RedisServer(false, configuration, List.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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

	/**
	 * Run commands on this server and read their whole replies, on a connection of their
	 * own.
	 * @param commands what to run
	 * @return what {@code commands} returns
	 */
	public <T> T commands(Function<RedisCommands<String, String>, T> commands) {
		try (StatefulRedisConnection<String, String> connection = client().connect(uri())) {
			return commands.apply(connection.sync());
		}
	}

	/**
	 * Run commands on this server, started with {@link #startSentinel}, on a connection
	 * of their own.
	 * @param commands what to run
	 * @return what {@code commands} returns
	 */
	public <T> T sentinelCommands(Function<RedisSentinelCommands<String, String>, T> commands) {
		try (StatefulRedisSentinelConnection<String, String> connection = client().connectSentinel(uri())) {
			return commands.apply(connection.sync());
		}
	}

	/**
	 * Keep {@code replica} from copying what this master acknowledges from now on, as a
	 * replica whose link broke would: the master asks for a password that the replica
	 * does not have, and drops the replica's link. Connections already open stay
	 * authenticated.
	 * @param replica a replica of this server
	 */
	public void stopReplicatingTo(RedisServer replica) {
		String password = UUID.randomUUID().toString();
		commands((redis) -> {
			redis.configSet("requirepass", password);
			return redis.clientKill(KillArgs.Builder.typeSlave());
		});
		Awaitility.await("the replica on port " + replica.port() + " to lose its link")
			.atMost(STARTUP)
			.until(() -> replica.commands((redis) -> redis.info("replication")).contains("master_link_status:down"));
	}

	private RedisURI uri() {
		return RedisURI.create("127.0.0.1", this.port);
	}

	private static synchronized RedisClient client() {
		if (client == null) {
			client = RedisClient.create();
		}
		return client;
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
		List<String> command = new ArrayList<>(List.of(binary().toString()));
		command.addAll(this.leading);
		command.addAll(List.of("--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--dir",
				this.directory.toString(), "--save", "", "--daemonize", "no"));
		command.addAll(this.persistent ? List.of("--appendonly", "yes", "--appendfsync", "no")
				: List.of("--appendonly", "no"));
		command.addAll(this.trailing);
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

	/**
	 * A free port whose cluster bus port, 10000 higher, is free too: a cluster node
	 * listens on both.
	 */
	private static int freeClusterPort() throws IOException {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = 20000 + ThreadLocalRandom.current().nextInt(25000);
			if (isFree(port) && isFree(port + 10000)) {
				return port;
			}
		}
		throw new IOException("No free pair of ports for a cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
