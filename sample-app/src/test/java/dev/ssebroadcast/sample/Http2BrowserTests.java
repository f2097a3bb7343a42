package dev.ssebroadcast.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import dev.ssebroadcast.SseBroadcaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A page over HTTP/2 with TLS keeps more {@code EventSource}s to one origin open than the
 * six connections a browser allows an origin over HTTP/1.1, each receiving every event.
 */
class Http2BrowserTests {

	private static final int SOURCES = 10;

	@RegisterExtension
	static final Chromium chromium = new Chromium();

	@TempDir
	Path directory;

	@Test
	void tenEventSourcesToOneOriginAllReceiveOverHttp2() throws Exception {
		Path keyStore = selfSignedKeyStore(this.directory);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
				"--server.port=0", "--server.http2.enabled=true", "--server.ssl.key-store=" + keyStore,
				"--server.ssl.key-store-password=secret", "--server.ssl.key-alias=sample")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			SseBroadcaster broadcaster = context.getBean(SseBroadcaster.class);
			WebDriver browser = chromium.open("--ignore-certificate-errors");
			browser.get("https://127.0.0.1:" + port + "/actuator/health");
			JavascriptExecutor page = (JavascriptExecutor) browser;
			page.executeScript("""
					window.received = [];
					for (let i = 0; i < arguments[0]; i++) {
						const events = [];
						window.received.push(events);
						new EventSource('/sse').onmessage = (message) => events.push(message.data);
					}""", SOURCES);
			await("clients").atMost(Duration.ofSeconds(30)).until(() -> broadcaster.clientCount() == SOURCES);

			broadcaster.broadcast("over-h2");
			await("every EventSource to receive the event").atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat((List<?>) page.executeScript("return window.received"))
					.hasSize(SOURCES)
					.allSatisfy((events) -> assertThat(events.toString()).contains("over-h2")));
			assertThat(page.executeScript(
					"return performance.getEntriesByType('navigation')[0].nextHopProtocol"))
				.as("protocol of the page").isEqualTo("h2");
		}
	}

	/** A PKCS #12 key store with a self-signed certificate for 127.0.0.1, by keytool. */
	private static Path selfSignedKeyStore(Path directory) throws IOException, InterruptedException {
		Path keyStore = directory.resolve("sample.p12");
		Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "sample", "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-validity", "2",
				"-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "secret")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("keytool: " + output).isZero();
		assertThat(Files.exists(keyStore)).isTrue();
		return keyStore;
	}

}
