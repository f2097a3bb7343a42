package dev.ssebroadcast.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} for the scale-out run, on loopback, keeping nothing on disk.
 */
final class RedisProcess implements AutoCloseable {

	private final Process process;

	private RedisProcess(Process process) {
		this.process = process;
	}

	static RedisProcess start(String binary, int port, Path log) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		RedisProcess redis = new RedisProcess(process);
		long deadline = System.currentTimeMillis() + 20_000;
		while (System.currentTimeMillis() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return redis;
			}
			catch (IOException ex) {
				Thread.sleep(100);
			}
		}
		redis.close();
		throw new IOException("redis-server did not listen on " + port);
	}

	long pid() {
		return this.process.pid();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
