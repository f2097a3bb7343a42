package dev.ssebroadcast.web;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.autoconfigure.SseBroadcastAutoConfiguration;
import dev.ssebroadcast.relay.RelayedEvent;
import dev.ssebroadcast.relay.SseFanOut;
import dev.ssebroadcast.relay.SseRelay;
import dev.ssebroadcast.relay.SseRelayException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own controller that publishes while the relay is unreachable answers
 * {@code 503} with {@code Retry-After}, without a handler of its own, and without telling
 * the client where the relay is.
 */
class RelayUnavailableTests {

	private static final String RELAY_ADDRESS = "10.0.0.7:6379";

	@Test
	void userControllerAnswers503WithRetryAfter() throws Exception {
		try (ConfigurableApplicationContext context = start(PublishingApplication.class)) {
			HttpResponse<String> response = publish(context);

			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
			JsonNode error = JsonMapper.builder().build().readTree(response.body());
			assertThat(error.path("status").asInt()).as(response.body()).isEqualTo(503);
			assertThat(response.body()).as("the relay's address stays on the server").doesNotContain(RELAY_ADDRESS);
		}
	}

	@Test
	void userControllerAnswersProblemDetailsWhenTheApplicationEnablesThem() throws Exception {
		try (ConfigurableApplicationContext context = start(PublishingApplication.class,
				"spring.mvc.problemdetails.enabled=true")) {
			HttpResponse<String> response = publish(context);

			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = JsonMapper.builder().build().readTree(response.body());
			assertThat(problem.path("status").asInt()).isEqualTo(503);
			assertThat(problem.path("title").asString()).isEqualTo("Service Unavailable");
			assertThat(problem.path("detail").asString()).isEqualTo(SseRelayExceptionHandler.DETAIL);
			assertThat(problem.path("instance").asString()).isEqualTo("/publish");
			assertThat(response.body()).doesNotContain(RELAY_ADDRESS);
		}
	}

	@Test
	void applicationsOwnExceptionHandlerWins() throws Exception {
		try (ConfigurableApplicationContext context = start(OwnHandlerApplication.class,
				"spring.mvc.problemdetails.enabled=true")) {
			HttpResponse<String> response = publish(context);

			assertThat(response.statusCode()).isEqualTo(502);
			assertThat(response.body()).isEqualTo("handled by the application");
			assertThat(response.headers().firstValue("Retry-After")).isEmpty();
		}
	}

	@Test
	void applicationsOwnHandlerBeanReplacesOurs() {
		SseRelayExceptionHandler own = new SseRelayExceptionHandler(true);
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SseBroadcastAutoConfiguration.class))
			.withBean(SseRelayExceptionHandler.class, () -> own)
			.run((context) -> assertThat(context).getBean(SseRelayExceptionHandler.class).isSameAs(own));
	}

	private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
		return new SpringApplicationBuilder(application).properties("server.port=0", "server.address=127.0.0.1")
			.properties(properties)
			.run();
	}

	private static HttpResponse<String> publish(ConfigurableApplicationContext context)
			throws IOException, InterruptedException {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (HttpClient client = HttpClient.newHttpClient()) {
			return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/publish"))
				.POST(BodyPublishers.noBody())
				.build(), BodyHandlers.ofString());
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(PublishController.class)
	static class PublishingApplication {

		@Bean
		SseRelay unreachableRelay() {
			return new UnreachableRelay();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ PublishController.class, OwnRelayHandler.class })
	static class OwnHandlerApplication extends PublishingApplication {

	}

	@RestController
	static class PublishController {

		private final SseBroadcaster broadcaster;

		PublishController(SseBroadcaster broadcaster) {
			this.broadcaster = broadcaster;
		}

		@PostMapping("/publish")
		int publish() {
			return this.broadcaster.broadcast("news");
		}

	}

	@RestControllerAdvice
	static class OwnRelayHandler {

		@ExceptionHandler
		ResponseEntity<String> relayUnavailable(SseRelayException ex) {
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("handled by the application");
		}

	}

	static final class UnreachableRelay implements SseRelay {

		@Override
		public void start(SseFanOut fanOut) {
		}

		@Override
		public int publish(RelayedEvent event) {
			throw new SseRelayException("Redis is unreachable at " + RELAY_ADDRESS,
					new ConnectException("Connection refused"));
		}

		@Override
		public void stop() {
		}

	}

}
