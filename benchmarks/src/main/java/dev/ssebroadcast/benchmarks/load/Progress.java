package dev.ssebroadcast.benchmarks.load;

import org.jspecify.annotations.Nullable;

/**
 * Prints, once a second while a run goes on, what it is doing: the phase, the open
 * streams and the deliveries per second.
 */
final class Progress {

	private final String run;

	private volatile String phase = "starting";

	private volatile boolean running;

	private @Nullable Thread ticker;

	Progress(String run) {
		this.run = run;
	}

	void start(Streams streams) {
		this.running = true;
		this.ticker = Thread.ofPlatform().daemon().name("load-progress").start(() -> tick(streams));
	}

	void phase(String phase) {
		this.phase = phase;
		say(phase);
	}

	void say(String message) {
		System.out.printf("[%s] %s%n", this.run, message);
	}

	void stop() {
		this.running = false;
		if (this.ticker != null) {
			this.ticker.interrupt();
		}
	}

	private void tick(Streams streams) {
		long lastDeliveries = streams.deliveries();
		long lastTime = System.nanoTime();
		while (this.running) {
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				return;
			}
			long deliveries = streams.deliveries();
			long now = System.nanoTime();
			double rate = (deliveries - lastDeliveries) / ((now - lastTime) / 1e9);
			System.out.printf("[%s]   %s | open %d | %,.0f deliveries/s%n", this.run, this.phase, streams.open(), rate);
			lastDeliveries = deliveries;
			lastTime = now;
		}
	}

}
