package dev.ssebroadcast.benchmarks.compare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test, in a JVM of its own started from the same {@code java} as the
 * comparison, with the same flags as every other server. Stopped by its own pid.
 */
public final class ServerProcess implements AutoCloseable {

	private final Process process;

	private ServerProcess(Process process) {
		this.process = process;
	}

	public static ServerProcess start(ComparedServer server, List<String> jvmFlags, int port, Path log)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmFlags);
		command.addAll(server.launch());
		command.add("--server.port=" + port);
		command.addAll(server.arguments());
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		ServerProcess started = new ServerProcess(process);
		started.awaitPort(port, 60_000);
		return started;
	}

	public long pid() {
		return this.process.pid();
	}

	private void awaitPort(int port, long timeoutMillis) throws IOException, InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMillis;
		while (System.currentTimeMillis() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("Server exited with " + this.process.exitValue() + " before listening");
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return;
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		close();
		throw new IOException("Server did not listen on " + port + " within " + timeoutMillis + " ms");
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(15, TimeUnit.SECONDS);
		}
	}

}
