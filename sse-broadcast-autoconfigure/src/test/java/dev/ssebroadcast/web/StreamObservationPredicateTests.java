package dev.ssebroadcast.web;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class StreamObservationPredicateTests {

	private final StreamObservationPredicate predicate = new StreamObservationPredicate("/sse");

	@Test
	void streamRequestsAreNotObserved() {
		assertThat(this.predicate.test("http.server.requests", contextFor("", "/sse"))).isFalse();
		assertThat(this.predicate.test("http.server.requests", contextFor("/app", "/app/sse"))).isFalse();
	}

	@Test
	void otherRequestsAre() {
		assertThat(this.predicate.test("http.server.requests", contextFor("", "/broadcast"))).isTrue();
		assertThat(this.predicate.test("http.server.requests", contextFor("", "/sse/other"))).isTrue();
		assertThat(this.predicate.test("http.server.requests", contextFor("", "/ss"))).isTrue();
		assertThat(this.predicate.test("http.server.requests", contextFor("", "/ssx"))).isTrue();
		assertThat(this.predicate.test("http.server.requests", contextFor("/app", "/sse"))).isTrue();
		assertThat(this.predicate.test("http.server.requests", contextFor("/app", "/xyz/sse"))).isTrue();
	}

	private static ServerRequestObservationContext contextFor(String contextPath, String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.setContextPath(contextPath);
		return new ServerRequestObservationContext(request, new MockHttpServletResponse());
	}

}
