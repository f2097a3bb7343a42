package dev.ssebroadcast.security;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.ssebroadcast.DisconnectReason;
import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.ReceivedEvent;
import dev.ssebroadcast.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams that end with the login that opened them, through a real Spring Security
 * filter chain: a session logout, an opaque bearer token's expiry, and an expiry the
 * application declares.
 */
@SpringBootTest(classes = StreamGuardTests.SecuredApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class StreamGuardTests {

	@LocalServerPort
	private int port;

	@Autowired
	private SseBroadcaster broadcaster;

	@Test
	void logoutEndsTheStreamsOpenedInItsSession() throws Exception {
		CookieManager cookies = new CookieManager();
		HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
		assertThat(post(browser, "/login", "username=alice&password=alice")).as("login").isEqualTo(302);
		String session = cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("JSESSIONID"))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElseThrow();
		long expiredBefore = this.broadcaster.statistics().disconnects(DisconnectReason.EXPIRED);

		try (SseTestClient tab1 = connect(Map.of("Cookie", "JSESSIONID=" + session));
				SseTestClient tab2 = connect(Map.of("Cookie", "JSESSIONID=" + session));
				SseTestClient basic = connect(Map.of("Authorization", basic("alice")))) {
			assertThat(tab1.status()).isEqualTo(200);
			this.broadcaster.broadcast("logged in");
			tab1.awaitData("logged in");
			tab2.awaitData("logged in");

			assertThat(post(browser, "/logout", "")).as("logout").isBetween(200, 399);

			await().atMost(Duration.ofSeconds(5)).until(() -> tab1.hasEnded() && tab2.hasEnded());
			assertEndedExpired(tab1);
			assertEndedExpired(tab2);
			assertThat(this.broadcaster.statistics().disconnects(DisconnectReason.EXPIRED) - expiredBefore)
				.isEqualTo(2);
			assertThat(basic.isOpen()).as("a stream of the same user without that session").isTrue();
		}
		try (SseTestClient again = connect(Map.of("Cookie", "JSESSIONID=" + session))) {
			assertThat(again.status()).as("reconnect with the ended session").isEqualTo(401);
		}
	}

	@Test
	void streamEndsWhenTheExpiryTheApplicationDeclaresComes() {
		try (SseTestClient shortLived = connect(Map.of("Authorization", basic("brief")));
				SseTestClient other = connect(Map.of("Authorization", basic("alice")))) {
			long opened = System.nanoTime();
			await().atMost(Duration.ofSeconds(5)).until(shortLived::hasEnded);

			assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofSeconds(3));
			assertThat(shortLived.events()).hasSize(1);
			assertEndedExpired(shortLived);
			assertThat(other.isOpen()).isTrue();
		}
	}

	@Test
	void opaqueBearerTokenStreamEndsWhenItsIntrospectionSaysAndItsReconnectGets401() {
		Instant expiresAt = Instant.now().plusMillis(1500);
		String token = "opaque-" + expiresAt.toEpochMilli();
		try (SseTestClient carol = connect(Map.of("Authorization", "Bearer " + token))) {
			assertThat(carol.status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(5)).until(carol::hasEnded);

			assertThat(Instant.now()).as("ended no earlier than its expiry").isAfterOrEqualTo(expiresAt);
			assertEndedExpired(carol);
		}
		try (SseTestClient again = connect(Map.of("Authorization", "Bearer " + token))) {
			assertThat(again.status()).as("reconnect with the expired token").isEqualTo(401);
		}
	}

	private static void assertEndedExpired(SseTestClient client) {
		ReceivedEvent last = client.events().getLast();
		assertThat(last.event()).as("name of the last event").isEqualTo(SseBroadcaster.EXPIRED_EVENT);
		assertThat(last.data()).isEqualTo("authentication-expired");
	}

	private SseTestClient connect(Map<String, String> headers) {
		return SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse", headers, Duration.ofSeconds(10));
	}

	private int post(HttpClient browser, String path, String form) throws Exception {
		return browser
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(BodyPublishers.ofString(form))
				.build(), BodyHandlers.discarding())
			.statusCode();
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableWebSecurity
	static class SecuredApplication {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.httpBasic(Customizer.withDefaults())
				.oauth2ResourceServer((resourceServer) -> resourceServer
					.opaqueToken((opaque) -> opaque.introspector(SecuredApplication::introspect)))
				.csrf((csrf) -> csrf.disable())
				// 401 rather than a redirect to the login page, which a client would follow.
				.exceptionHandling((exceptions) -> exceptions
					.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
				.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}alice").build(),
					User.withUsername("brief").password("{noop}brief").build());
		}

		/**
		 * An authorization server's introspection, in short: {@code opaque-<millis>} is
		 * carol's token, active until that epoch millisecond.
		 */
		private static OAuth2AuthenticatedPrincipal introspect(String token) {
			Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(token.substring("opaque-".length())));
			if (!expiresAt.isAfter(Instant.now())) {
				throw new BadOpaqueTokenException("Token expired at " + expiresAt);
			}
			return new OAuth2IntrospectionAuthenticatedPrincipal("carol",
					Map.of(OAuth2TokenIntrospectionClaimNames.SUB, "carol", OAuth2TokenIntrospectionClaimNames.EXP,
							expiresAt),
					List.of());
		}

		/** The user {@code brief} may stream for half a second at a time. */
		@Bean
		SseAuthenticationExpiry briefLogins() {
			return (authentication) -> authentication.getName().equals("brief") ? Instant.now().plusMillis(500)
					: null;
		}

	}

}
