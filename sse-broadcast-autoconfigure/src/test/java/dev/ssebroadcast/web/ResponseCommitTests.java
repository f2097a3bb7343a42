package dev.ssebroadcast.web;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.ssebroadcast.SseBroadcaster;
import dev.ssebroadcast.test.SseTestClient;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Filters that touch the response once the chain returns, as Spring Security's header
 * writer does, must never race the stream's own thread: the request's thread commits the
 * response before it hands it over, so the stream's thread only ever writes the body.
 */
@SpringBootTest(classes = { TestApplication.class, ResponseCommitTests.Filters.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.broadcast.heartbeat=200ms")
class ResponseCommitTests {

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Autowired
	CommitRecordingFilter filter;

	@Test
	void responseIsCommittedOnTheRequestThreadBeforeTheChainReturns() {
		try (SseTestClient client = SseTestClient.connect("http://127.0.0.1:" + this.port + "/sse")) {
			await().until(() -> this.filter.commits.size() == 1);
			assertThat(this.filter.commits).singleElement().satisfies((commit) -> {
				assertThat(commit.committedWhenTheChainReturned()).isTrue();
				assertThat(commit.committedByTheRequestThread()).as("committed by the request's thread").isTrue();
				assertThat(commit.openingWrittenByTheRequestThread())
					.as("the stream's start written by the request's thread, with the headers")
					.isTrue();
			});
			this.broadcaster.broadcast("streamed by the stream's thread");
			client.awaitData("streamed by the stream's thread");
		}
		await().until(() -> this.broadcaster.clientCount() == 0);
	}

	record Commit(boolean committedWhenTheChainReturned, boolean committedByTheRequestThread,
			boolean openingWrittenByTheRequestThread) {
	}

	/**
	 * Records, for each request, whether the response was committed when the chain
	 * returned, and by which thread.
	 */
	static final class CommitRecordingFilter extends OncePerRequestFilter {

		final List<Commit> commits = new CopyOnWriteArrayList<>();

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Thread requestThread = Thread.currentThread();
			AtomicReference<Thread> committer = new AtomicReference<>();
			AtomicReference<Thread> firstWriter = new AtomicReference<>();
			chain.doFilter(request, new HttpServletResponseWrapper(response) {

				@Override
				public ServletOutputStream getOutputStream() throws IOException {
					return new FirstWriterRecordingStream(super.getOutputStream(), firstWriter);
				}

				@Override
				public void flushBuffer() throws IOException {
					if (!isCommitted()) {
						committer.compareAndSet(null, Thread.currentThread());
					}
					super.flushBuffer();
				}

			});
			this.commits.add(new Commit(response.isCommitted(), committer.get() == requestThread,
					firstWriter.get() == requestThread));
		}

	}

	/**
	 * Records the thread of the first write to the body.
	 */
	static final class FirstWriterRecordingStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		private final AtomicReference<Thread> firstWriter;

		FirstWriterRecordingStream(ServletOutputStream delegate, AtomicReference<Thread> firstWriter) {
			this.delegate = delegate;
			this.firstWriter = firstWriter;
		}

		@Override
		public void write(int b) throws IOException {
			this.firstWriter.compareAndSet(null, Thread.currentThread());
			this.delegate.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.firstWriter.compareAndSet(null, Thread.currentThread());
			this.delegate.write(b, off, len);
		}

		@Override
		public void flush() throws IOException {
			this.delegate.flush();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			this.delegate.setWriteListener(listener);
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Filters {

		@Bean
		CommitRecordingFilter commitRecordingFilter() {
			return new CommitRecordingFilter();
		}

	}

}
