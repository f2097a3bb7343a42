package dev.ssebroadcast.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code secure} profile with a JWT public key: streams opened with a bearer token
 * signed in the test end when it expires, with a last {@code sse-expired} event, and the
 * token is then refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.broadcast.heartbeat=200ms")
@ActiveProfiles("secure")
class SecureJwtTests {

	private static final KeyPair SIGNER = rsaKeyPair();

	@TempDir
	static Path keys;

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@DynamicPropertySource
	static void publicKey(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> {
			Path key = keys.resolve("signer.pub");
			String pem = "-----BEGIN PUBLIC KEY-----\n"
					+ Base64.getMimeEncoder().encodeToString(SIGNER.getPublic().getEncoded())
					+ "\n-----END PUBLIC KEY-----\n";
			try {
				Files.writeString(key, pem, StandardCharsets.US_ASCII);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return key.toUri().toString();
		});
	}

	@AfterEach
	void allClientsGone() {
		await("clients to be gone").atMost(Duration.ofSeconds(10)).until(() -> this.broadcaster.clientCount() == 0);
	}

	@Test
	void streamEndsAtTheTokensExpiryWithTheExpiredEventAndItsReconnectGets401() {
		// exp has whole seconds: two to three seconds from now.
		Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
		String token = jwt("carol", List.of("USER"), expiresAt);
		long expiredBefore = this.broadcaster.statistics().disconnects(DisconnectReason.EXPIRED);

		try (SseTestClient carol = connect(token, "/sse"); SseTestClient alice = connectBasic("alice")) {
			assertThat(carol.status()).isEqualTo(200);
			await().until(() -> this.broadcaster.clientCount() == 2);
			assertThat(this.broadcaster.clients()).extracting((client) -> client.user()).contains("carol");
			this.broadcaster.broadcast("while valid");
			carol.awaitData("while valid");

			await().atMost(Duration.ofSeconds(8)).until(carol::hasEnded);

			assertThat(Instant.now()).as("ended no earlier than exp").isAfterOrEqualTo(expiresAt);
			ReceivedEvent last = carol.events().getLast();
			assertThat(last.event()).isEqualTo(SseBroadcaster.EXPIRED_EVENT);
			assertThat(last.data()).isEqualTo("authentication-expired");
			assertThat(this.broadcaster.statistics().disconnects(DisconnectReason.EXPIRED) - expiredBefore)
				.isEqualTo(1);
			assertThat(alice.isOpen()).as("a Basic stream has no expiry").isTrue();
		}
		try (SseTestClient again = connect(token, "/sse")) {
			assertThat(again.status()).as("reconnect with the expired token").isEqualTo(401);
		}
	}

	@Test
	void rolesComeFromTheRolesClaim() {
		Instant inAnHour = Instant.now().plusSeconds(3600);
		try (SseTestClient admin = connect(jwt("root", List.of("USER", "ADMIN"), inAnHour), "/sse?topic=admin");
				SseTestClient user = connect(jwt("dave", List.of("USER"), inAnHour), "/sse?topic=admin")) {
			assertThat(admin.status()).isEqualTo(200);
			assertThat(user.status()).isEqualTo(403);
		}
	}

	@Test
	void tokenSignedByAnotherKeyGets401() {
		KeyPair other = rsaKeyPair();
		String forged = sign(other, "mallory", List.of("ADMIN"), Instant.now().plusSeconds(3600));
		try (SseTestClient mallory = connect(forged, "/sse")) {
			assertThat(mallory.status()).isEqualTo(401);
		}
	}

	private SseTestClient connect(String token, String path) {
		return SseTestClient.connect("http://127.0.0.1:" + this.port + path, Map.of("Authorization", "Bearer " + token),
				Duration.ofSeconds(10));
	}

	private SseTestClient connectBasic(String user) {
		String credentials = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
		return SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse",
				Map.of("Authorization", "Basic " + credentials), Duration.ofSeconds(10));
	}

	private static String jwt(String subject, List<String> roles, Instant expiresAt) {
		return sign(SIGNER, subject, roles, expiresAt);
	}

	private static String sign(KeyPair signer, String subject, List<String> roles, Instant expiresAt) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
			.claim("roles", roles)
			.issueTime(new Date())
			.expirationTime(Date.from(expiresAt))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
		try {
			jwt.sign(new RSASSASigner((RSAPrivateKey) signer.getPrivate()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	private static KeyPair rsaKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
