package dev.ssebroadcast.autoconfigure;

import dev.ssebroadcast.SseBroadcaster;

import org.springframework.context.SmartLifecycle;

/**
 * Closes the {@link SseBroadcaster} when the application stops, before the web server's
 * graceful shutdown waits for requests to finish. Open streams would otherwise hold that
 * shutdown for its whole timeout.
 */
final class SseBroadcasterLifecycle implements SmartLifecycle {

	private final SseBroadcaster broadcaster;

	private volatile boolean running;

	SseBroadcasterLifecycle(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.broadcaster.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Not stopped when the context is only paused (as Spring's test framework does with
	 * cached contexts between test classes): a closed broadcaster cannot be reopened, so
	 * the context would refuse every stream once it resumed.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	/**
	 * Stop in the last phase to start, the first to stop: ahead of the web server.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
