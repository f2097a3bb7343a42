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
 * and streams use virtual threads. The default has the lowest precedence: a value the
 * user sets anywhere, {@code false} included, wins.
 */
public class VirtualThreadsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "sseBroadcastDefaults";

	private static final String VIRTUAL_THREADS = "spring.threads.virtual.enabled";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("sse.broadcast.enabled", Boolean.class, true)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(VIRTUAL_THREADS, "true")));
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
