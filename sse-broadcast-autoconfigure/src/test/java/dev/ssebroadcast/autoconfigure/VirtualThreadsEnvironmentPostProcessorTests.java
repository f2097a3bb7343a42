package dev.ssebroadcast.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class VirtualThreadsEnvironmentPostProcessorTests {

	private final VirtualThreadsEnvironmentPostProcessor postProcessor = new VirtualThreadsEnvironmentPostProcessor();

	@Test
	void turnsVirtualThreadsOnByDefault() {
		StandardEnvironment environment = environmentWith(Map.of());
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.threads.virtual.enabled")).isEqualTo("true");
	}

	@Test
	void explicitFalseWins() {
		StandardEnvironment environment = environmentWith(Map.of("spring.threads.virtual.enabled", "false"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.threads.virtual.enabled")).isEqualTo("false");
	}

	@Test
	void lengthensTomcatsAcceptQueueByDefault() {
		StandardEnvironment environment = environmentWith(Map.of());
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("server.tomcat.accept-count")).isEqualTo("4096");
	}

	@Test
	void explicitAcceptCountWins() {
		StandardEnvironment environment = environmentWith(Map.of("server.tomcat.accept-count", "100"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("server.tomcat.accept-count")).isEqualTo("100");
	}

	@Test
	void leavesThreadsAloneWhenTheStarterIsSwitchedOff() {
		StandardEnvironment environment = environmentWith(Map.of("sse.broadcast.enabled", "false"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.threads.virtual.enabled")).isNull();
	}

	private StandardEnvironment environmentWith(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
