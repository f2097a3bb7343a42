package dev.ssebroadcast.sample;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad {@code sse.broadcast.*} value stops startup with a report that names it.
 */
class InvalidConfigurationTests {

	@Test
	void invalidQueueCapacityIsReportedByName() {
		String report = consoleDuring(() -> assertThatException().isThrownBy(() -> SpringApplication
			.run(SampleApplication.class, "--server.port=0", "--sse.broadcast.client-queue-capacity=0")));
		assertThat(report).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '0' for configuration property 'sse.broadcast.client-queue-capacity'")
			.contains("sse.broadcast.client-queue-capacity must be at least 1, but was 0");
	}

	/**
	 * What {@code action} prints to the console, kept out of the build's output: the
	 * report of a failure this test expects would read like a broken build.
	 */
	private static String consoleDuring(Runnable action) {
		PrintStream console = System.out;
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
		try {
			action.run();
		}
		finally {
			System.setOut(console);
		}
		return printed.toString(StandardCharsets.UTF_8);
	}

}
