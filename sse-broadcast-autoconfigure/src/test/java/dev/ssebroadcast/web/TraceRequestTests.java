package dev.ssebroadcast.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code TRACE} is answered by the servlet container before it reaches the endpoint, so
 * the answer depends on the container; these tests hold the documented answers (see
 * docs/security.md) on Tomcat and, run from sse-broadcast-jetty-tests, on Jetty.
 */
class TraceRequestTests {

	private static final boolean TOMCAT = ClassUtils.isPresent("org.apache.catalina.connector.Connector", null);

	@Test
	void traceGetsTheContainersDefaultAnswer() throws Exception {
		HttpResponse<String> response = trace();
		if (TOMCAT) {
			assertThat(response.statusCode()).as("Tomcat refuses TRACE").isEqualTo(405);
			assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(
					(allow) -> assertThat(allow.split(",\\s*")).contains("GET", "HEAD").doesNotContain("TRACE"));
		}
		else {
			assertThat(response.statusCode()).as("Jetty lets the servlet echo TRACE").isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("message/http");
			assertThat(response.body()).startsWith("TRACE /sse HTTP/1.1");
		}
	}

	@Test
	void traceDispatchedToSpringMvcGets405WithTheEndpointsMethods() throws Exception {
		HttpResponse<String> response = trace("spring.mvc.dispatch-trace-request=true");
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValueSatisfying((allow) -> {
			if (TOMCAT) {
				assertThat(allow.split(",\\s*")).as("Tomcat's own answer").contains("GET", "HEAD").doesNotContain("TRACE");
			}
			else {
				assertThat(allow.split(",\\s*")).containsExactlyInAnyOrder("GET", "HEAD");
			}
		});
	}

	private static HttpResponse<String> trace(String... properties) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0")
			.properties(properties)
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sse"))
				.method("TRACE", BodyPublishers.noBody())
				.build();
			return HttpClient.newHttpClient().sendAsync(request, BodyHandlers.ofString()).get(5, TimeUnit.SECONDS);
		}
	}

}
