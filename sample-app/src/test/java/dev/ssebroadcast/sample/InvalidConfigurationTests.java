package dev.ssebroadcast.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad {@code sse.broadcast.*} value stops startup with a report that names it.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidConfigurationTests {

	@Test
	void invalidQueueCapacityIsReportedByName(CapturedOutput output) {
		assertThatException().isThrownBy(() -> SpringApplication.run(SampleApplication.class, "--server.port=0",
				"--sse.broadcast.client-queue-capacity=0"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '0' for configuration property 'sse.broadcast.client-queue-capacity'")
			.contains("clientQueueCapacity must be at least 1, but was 0");
	}

}
