package dev.ssebroadcast.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample jar, started as a user would with
 * {@code java -Dspring.aot.enabled=true -jar}, runs from the context that Spring AOT
 * generated at build time and streams as usual; the native image metadata generated
 * with it covers what the starter reaches by reflection.
 */
class SampleApplicationAotIT {

	private static final Pattern STARTED_ON_PORT = Pattern.compile("started on port (\\d+)");

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final String NATIVE_IMAGE_METADATA = "META-INF/native-image/dev.ssebroadcast/sample-app/"
			+ "reachability-metadata.json";

	private static Path jar;

	private static Process process;

	private static Path log;

	private static int port;

	@BeforeAll
	static void startJarInAotMode() throws IOException {
		jar = Paths.get(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the packaged sample app").exists();
		log = Files.createTempFile("sample-app-aot", ".log");
		String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
		process = new ProcessBuilder(List.of(java, "-Dspring.aot.enabled=true", "-jar", jar.toString(),
				"--server.address=127.0.0.1", "--server.port=0"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		port = await("the jar to start (log: " + log + ")").atMost(Duration.ofSeconds(60))
			.until(SampleApplicationAotIT::startedPort, (started) -> started > 0);
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (process != null) {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	@Test
	void startsFromTheAotGeneratedContext() throws IOException {
		assertThat(Files.readString(log)).contains("Starting AOT-processed SampleApplication");
	}

	@Test
	void postedTextAndJsonReachTheStream() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse?topic=aot"))) {
			assertThat(post("/broadcast?topic=aot&event=note", "text/plain", "hello").statusCode()).isEqualTo(200);
			assertThat(post("/broadcast?topic=aot", "application/json", "{ \"price\": 42.5 }").statusCode())
				.isEqualTo(200);
			assertThat(client.awaitData("hello", "{ \"price\": 42.5 }")).containsExactly("hello", "{ \"price\": 42.5 }");
			assertThat(client.events().get(0).event()).isEqualTo("note");
		}
	}

	@Test
	void sseEndpointWritesItsRecordsAsJson() throws Exception {
		try (SseTestClient client = SseTestClient.connect(url("/sse?topic=orders"))) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url("/actuator/sse"))).build(),
					BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode connections = JsonMapper.builder().build().readTree(response.body()).path("connections");
			assertThat(connections.findValuesAsString("overflow")).contains("DISCONNECT");
			assertThat(connections.findValue("topics").toString()).isEqualTo("[\"orders\"]");
		}
	}

	@Test
	void htmxPageGetsItsScriptsAndFragments() throws Exception {
		for (String path : List.of("/htmx.html", "/webjars/htmx.org/dist/htmx.min.js", "/webjars/htmx-ext-sse/sse.js")) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
					BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
		}
		try (SseTestClient client = SseTestClient.connect(url("/sse?topic=htmx"))) {
			assertThat(post("/htmx/messages", "application/x-www-form-urlencoded", "message=a%26b").statusCode())
				.isEqualTo(204);
			assertThat(client.awaitEvents(1).get(0).data()).endsWith("</time>a&amp;b</li>");
		}
	}

	@Test
	void nativeImageMetadataCoversTheStartersReflection() throws IOException {
		try (JarFile jarFile = new JarFile(jar.toFile())) {
			JarEntry metadata = jarFile.getJarEntry(NATIVE_IMAGE_METADATA);
			assertThat(metadata).as(NATIVE_IMAGE_METADATA).isNotNull();
			JsonNode reflection = JsonMapper.builder()
				.build()
				.readTree(jarFile.getInputStream(metadata))
				.path("reflection");
			// A proxy's type is an object rather than a class name.
			List<String> types = reflection.findValues("type")
				.stream()
				.filter(JsonNode::isString)
				.map(JsonNode::asString)
				.toList();
			assertThat(types).contains(
					"dev.ssebroadcast.autoconfigure.SseBroadcastProperties$History",
					"dev.ssebroadcast.actuate.SseConnectionsEndpoint$ConnectionsDescriptor",
					"dev.ssebroadcast.actuate.SseConnectionsEndpoint$ConnectionDescriptor",
					"dev.ssebroadcast.autoconfigure.VirtualThreadsEnvironmentPostProcessor");
		}
	}

	private static int startedPort() throws IOException {
		assertThat(process.isAlive()).as("the jar is running; its log:%n%s", Files.readString(log)).isTrue();
		Matcher matcher = STARTED_ON_PORT.matcher(Files.readString(log));
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", contentType)
			.POST(BodyPublishers.ofString(body))
			.build();
		return http.send(request, BodyHandlers.ofString());
	}

	private static String url(String path) {
		return "http://127.0.0.1:" + port + path;
	}

}
