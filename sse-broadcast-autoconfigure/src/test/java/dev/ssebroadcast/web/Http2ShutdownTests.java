package dev.ssebroadcast.web;

import java.time.Duration;

import dev.ssebroadcast.SseBroadcaster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A graceful shutdown over HTTP/2 ends each stream cleanly, and then the connection with
 * {@code GOAWAY}: browsers reconnect after a stream that ends, but a reset stream is an
 * error to them.
 */
class Http2ShutdownTests {

	@Test
	void gracefulShutdownEndsStreamsCleanlyAndTheConnectionWithGoAway() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "server.http2.enabled=true", "server.shutdown=graceful",
					"spring.lifecycle.timeout-per-shutdown-phase=30s")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (RawHttp2Client h2 = RawHttp2Client.connect(port)) {
			int first = h2.get("/sse", true);
			int second = h2.get("/sse", true);
			SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
			await(h2.state()).atMost(Duration.ofSeconds(30)).until(() -> broadcaster.clientCount() == 2);

			context.close();

			await("streams ended and GOAWAY").atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(h2.ended(first) && h2.ended(second) && h2.goAway() != null)
					.as(h2.state())
					.isTrue());
			assertThat(h2.resetBy(first)).as(h2.state()).isNull();
			assertThat(h2.resetBy(second)).as(h2.state()).isNull();
			// Tomcat may close after its first GOAWAY (last stream 2^31-1) or send a second
			// naming stream 3: either is a clean end as long as it carries no error.
			assertThat(h2.goAway()).as("GOAWAY, with no error; " + h2.state())
				.matches("last stream (3|2147483647), error 0,.*");
		}
		finally {
			context.close();
		}
	}

}
