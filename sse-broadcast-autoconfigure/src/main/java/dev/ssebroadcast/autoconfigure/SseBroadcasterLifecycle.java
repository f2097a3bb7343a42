package dev.ssebroadcast.autoconfigure;

import dev.ssebroadcast.SseBroadcaster;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextPausedEvent;

/**
 * Closes the {@link SseBroadcaster} when the application stops, before the web server's
 * graceful shutdown waits for requests to finish. Open streams would otherwise hold that
 * shutdown for its whole timeout. A paused context (as Spring's test framework pauses
 * cached contexts between test classes) only ends its streams: a closed broadcaster
 * cannot be reopened, and the context would refuse every stream once resumed.
 */
final class SseBroadcasterLifecycle
		implements SmartLifecycle, ApplicationListener<ContextPausedEvent>, ApplicationContextAware {

	private final SseBroadcaster broadcaster;

	private @Nullable ApplicationContext context;

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

	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public void onApplicationEvent(ContextPausedEvent event) {
		// Pause events of a child context reach the parent's listeners too.
		if (event.getApplicationContext() == this.context) {
			this.broadcaster.disconnectAll();
		}
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	/**
	 * Stop in the last phase to start, the first to stop: ahead of the web server.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
