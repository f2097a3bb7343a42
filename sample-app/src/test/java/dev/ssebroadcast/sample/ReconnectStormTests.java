package dev.ssebroadcast.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ssebroadcast.SseBroadcaster;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Browsers reconnect all at once after a deploy. Every one of them must get a working
 * stream through the whole filter chain of the {@code secure} profile, Spring Security's
 * login and header writer included, whose response the request's thread has committed
 * before any filter looks at it again.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = { SampleApplication.class, ReconnectStormTests.OutermostFilter.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.broadcast.heartbeat=200ms")
@ActiveProfiles("secure")
class ReconnectStormTests {

	private static final int CLIENTS = 1000;

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String ALICE = "Authorization: Basic "
			+ Base64.getEncoder().encodeToString("alice:alice".getBytes(StandardCharsets.US_ASCII)) + "\r\n";

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Autowired
	CommittedStreams committedStreams;

	@Test
	void stormOfConnectsThroughSecurityLosesNoStreamAndLogsNoError(CapturedOutput output) throws Exception {
		List<RawConnection> streams = connectAll();
		try {
			await().atMost(TIMEOUT).until(() -> this.broadcaster.clientCount() == CLIENTS);
			assertThat(this.committedStreams.uncommitted).as("streams not committed when the filter chain returned")
				.hasValue(0);
			assertThat(this.committedStreams.committed).hasValue(CLIENTS);

			this.broadcaster.broadcast("after the storm");

			try (ExecutorService reading = Executors.newVirtualThreadPerTaskExecutor()) {
				List<Future<Boolean>> reads = streams.stream()
					.map((stream) -> reading.submit(() -> stream.await("data: after the storm", TIMEOUT)))
					.toList();
				for (int i = 0; i < CLIENTS; i++) {
					assertThat(reads.get(i).get()).as("stream %d got the event: %s", i, streams.get(i).received())
						.isTrue();
					assertThat(streams.get(i).received()).as("Spring Security's headers")
						.contains("X-Content-Type-Options: nosniff");
				}
			}
		}
		finally {
			for (RawConnection stream : streams) {
				stream.close();
			}
		}
		await().atMost(TIMEOUT).until(() -> this.broadcaster.clientCount() == 0);
		assertThat(output).doesNotContain(" ERROR ").doesNotContain("Exception");
	}

	private List<RawConnection> connectAll() throws Exception {
		List<RawConnection> streams = new ArrayList<>();
		try (ExecutorService connecting = Executors.newFixedThreadPool(16)) {
			List<Future<RawConnection>> connects = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				connects.add(connecting.submit(() -> RawConnection.stream(this.port, "/sse", ALICE, ": connected", TIMEOUT)));
			}
			for (Future<RawConnection> connect : connects) {
				streams.add(connect.get());
			}
		}
		return streams;
	}

	/**
	 * Counts the streams whose response was committed, or not, when the whole filter
	 * chain had returned.
	 */
	static final class CommittedStreams {

		final AtomicInteger committed = new AtomicInteger();

		final AtomicInteger uncommitted = new AtomicInteger();

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class OutermostFilter {

		@Bean
		CommittedStreams committedStreams() {
			return new CommittedStreams();
		}

		@Bean
		FilterRegistrationBean<Filter> commitCheckingFilter(CommittedStreams streams) {
			Filter filter = (request, response, chain) -> {
				chain.doFilter(request, response);
				boolean committed = ((HttpServletResponse) response).isCommitted();
				(committed ? streams.committed : streams.uncommitted).incrementAndGet();
			};
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
			registration.addUrlPatterns("/sse");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
