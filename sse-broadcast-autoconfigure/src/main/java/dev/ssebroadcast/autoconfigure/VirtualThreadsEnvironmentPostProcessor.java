package dev.ssebroadcast.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code spring.threads.virtual.enabled} on by default, so that request handling
 * and streams use virtual threads, and lengthens Tomcat's accept queue
 * ({@code server.tomcat.accept-count}) to {@value #ACCEPT_QUEUE_SIZE}: after a deploy every
 * browser reconnects at once, and a connection that finds the queue full waits a second
 * or more for its next attempt. The defaults have the lowest precedence: a value the user
 * sets anywhere, {@code false} included, wins.
 */
public class VirtualThreadsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "sseBroadcastDefaults";

	/**
	 * Connections the operating system may hold for the server to accept: Linux's default
	 * ceiling ({@code net.core.somaxconn}), which Netty uses too.
	 */
	public static final int ACCEPT_QUEUE_SIZE = 4096;

	private static final String VIRTUAL_THREADS = "spring.threads.virtual.enabled";

	private static final String ACCEPT_COUNT = "server.tomcat.accept-count";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("sse.broadcast.enabled", Boolean.class, true)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of(VIRTUAL_THREADS, "true", ACCEPT_COUNT, Integer.toString(ACCEPT_QUEUE_SIZE))));
	}

	/**
	 * After the application's own configuration is loaded, so that
	 * {@code sse.broadcast.enabled} can be read.
	 */
	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
