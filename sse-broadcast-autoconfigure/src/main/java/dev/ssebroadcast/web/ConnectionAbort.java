package dev.ssebroadcast.web;

import java.io.IOException;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Aborts a client's connection, without completing the response, and so ends the write
 * that a client which stopped reading holds up; see
 * {@link dev.ssebroadcast.SseClient#streamTo(java.io.OutputStream, java.io.Flushable, Consumer)}.
 * <p>
 * The Servlet API has no way to abort a response: completing or closing it writes
 * first, which waits for the client just like the stuck write, until the container's
 * timeout (a minute on Tomcat). So this reaches into the container. On Jetty it calls
 * the public {@code ServletChannel.abort}, which over HTTP/2 resets only the stream.
 * Tomcat ignores an interrupted write, so on its HTTP/1.1 NIO connector the
 * connection's socket is reset, reached the way Spring Framework's own Tomcat adapter
 * reaches Tomcat's request, and the writing thread is then interrupted. A Tomcat
 * HTTP/2 stream shares its connection with others, and an interrupted write there
 * fails the whole connection: the stream alone is reset instead, as Tomcat resets a
 * stream whose client sent no window update within its stream write timeout; where
 * that cannot be reached, nothing is done and that timeout ends the write. Elsewhere
 * the writing thread is interrupted and the container's own timeouts do the rest.
 */
final class ConnectionAbort {

	private static final Consumer<Thread> INTERRUPT = Thread::interrupt;

	private static final Consumer<Thread> NONE = (writer) -> {
	};

	private static final String TOMCAT_REQUEST = "org.apache.catalina.connector.RequestFacade";

	private static final String JETTY_REQUEST = "org.eclipse.jetty.ee11.servlet.ServletApiRequest";

	private ConnectionAbort() {
	}

	/**
	 * What aborts the connection of {@code request} and ends the write of the thread it
	 * is given.
	 * @return the abort; where no better way is known, an interrupt
	 */
	static Consumer<Thread> of(ServletRequest request) {
		while (request instanceof ServletRequestWrapper wrapper) {
			request = wrapper.getRequest();
		}
		Consumer<Thread> abort = switch (request.getClass().getName()) {
			case TOMCAT_REQUEST -> tomcat(request);
			case JETTY_REQUEST -> (Jetty.INSTANCE != null) ? Jetty.INSTANCE.abort(request) : null;
			default -> null;
		};
		return (abort != null) ? abort : INTERRUPT;
	}

	private static @Nullable Consumer<Thread> tomcat(ServletRequest request) {
		Object processor = (Tomcat.INSTANCE != null) ? Tomcat.INSTANCE.processor(request) : null;
		if (processor != null && TomcatHttp2.INSTANCE != null && TomcatHttp2.INSTANCE.isStream(processor)) {
			return TomcatHttp2.INSTANCE.abort(processor);
		}
		if ("HTTP/2.0".equals(request.getProtocol())) {
			// An interrupt would cost every other stream of the connection.
			return NONE;
		}
		return (processor != null && Tomcat.INSTANCE != null) ? Tomcat.INSTANCE.abort(processor) : null;
	}

	/**
	 * The socket of {@code request}'s connection, when it carries this request alone:
	 * an HTTP/1.1 connection of Tomcat's NIO connector or of Jetty, not encrypted.
	 * @return the channel, or {@code null} where it cannot be reached or is shared
	 */
	static @Nullable SocketChannel channel(ServletRequest request) {
		if (request.isSecure()) {
			// The bytes on the socket are the TLS session's, not for anyone else to read.
			return null;
		}
		while (request instanceof ServletRequestWrapper wrapper) {
			request = wrapper.getRequest();
		}
		return switch (request.getClass().getName()) {
			case TOMCAT_REQUEST ->
				(Tomcat.INSTANCE != null) ? Tomcat.INSTANCE.channel(Tomcat.INSTANCE.processor(request)) : null;
			case JETTY_REQUEST -> (Jetty.INSTANCE != null) ? Jetty.INSTANCE.channel(request) : null;
			default -> null;
		};
	}

	/**
	 * Look up what reaches into a server, once.
	 * @return {@code null} for a server other than the one the lookup was written for
	 */
	private static <T> @Nullable T load(Lookup<T> lookup) {
		try {
			return lookup.get();
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return null;
		}
	}

	private static Class<?> type(String name) throws ClassNotFoundException {
		return Class.forName(name, false, ConnectionAbort.class.getClassLoader());
	}

	private static <T extends AccessibleObject> T accessible(T member) {
		member.setAccessible(true);
		return member;
	}

	/**
	 * From Tomcat's request facade to its connection's socket channel: the facade's
	 * request, its Coyote request, the processor serving that, and the processor's
	 * socket. The channel is closed with a reset, as a network failure would, so that
	 * Tomcat cleans up as after any failed write.
	 */
	private static final class Tomcat {

		static final @Nullable Tomcat INSTANCE = load(Tomcat::new);

		private final Field facadeRequest;

		private final Method coyoteRequest;

		private final Field processor;

		private final Class<?> http11Processor;

		private final Method socketWrapper;

		private final Method socket;

		private final Method channel;

		private Tomcat() throws ReflectiveOperationException {
			this.facadeRequest = accessible(type(TOMCAT_REQUEST).getDeclaredField("request"));
			this.coyoteRequest = type("org.apache.catalina.connector.Request").getMethod("getCoyoteRequest");
			this.processor = accessible(type("org.apache.coyote.Request").getDeclaredField("hook"));
			this.http11Processor = type("org.apache.coyote.http11.Http11Processor");
			this.socketWrapper = accessible(
					type("org.apache.coyote.AbstractProcessor").getDeclaredMethod("getSocketWrapper"));
			this.socket = type("org.apache.tomcat.util.net.SocketWrapperBase").getMethod("getSocket");
			this.channel = type("org.apache.tomcat.util.net.NioChannel").getMethod("getIOChannel");
		}

		@Nullable Object processor(ServletRequest facade) {
			try {
				return this.processor.get(this.coyoteRequest.invoke(this.facadeRequest.get(facade)));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
		}

		@Nullable Consumer<Thread> abort(Object processor) {
			SocketChannel channel = channel(processor);
			if (channel == null) {
				return null;
			}
			// Tomcat's blocked write waits on a lock that only its poller, a timeout or an
			// interrupt ends; once awake, it finds the channel closed and fails.
			return (writer) -> {
				reset(channel);
				writer.interrupt();
			};
		}

		@Nullable SocketChannel channel(@Nullable Object processor) {
			try {
				if (!this.http11Processor.isInstance(processor)) {
					return null;
				}
				Object socket = this.socket.invoke(this.socketWrapper.invoke(processor));
				return (this.channel.invoke(socket) instanceof SocketChannel channel) ? channel : null;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
		}

		private static void reset(SocketChannel channel) {
			try {
				channel.setOption(StandardSocketOptions.SO_LINGER, 0);
				channel.close();
			}
			catch (IOException ex) {
				// Closed already.
			}
		}

	}

	/**
	 * From the processor of one of Tomcat's HTTP/2 streams to that stream and its
	 * connection's handler, which resets the stream the way Tomcat does when a stream
	 * write times out: it sends {@code RST_STREAM}, marks the stream reset and wakes the
	 * writer waiting for a window, whose write then fails for this stream alone. The
	 * response is first put in Tomcat's own "close now" error state: otherwise Tomcat,
	 * ending the request, flushes what the failed write left buffered into the reset
	 * stream, and takes that failure for a broken connection.
	 */
	private static final class TomcatHttp2 {

		static final @Nullable TomcatHttp2 INSTANCE = load(TomcatHttp2::new);

		private final Class<?> streamProcessor;

		private final Field handler;

		private final Field stream;

		private final Field state;

		private final Method streamId;

		private final Constructor<?> streamException;

		private final Object cancel;

		private final Method sendStreamReset;

		private final Method cancelAllocationRequests;

		private final Method coyoteResponse;

		private final Method action;

		private final Object closeNow;

		private TomcatHttp2() throws ReflectiveOperationException {
			this.streamProcessor = type("org.apache.coyote.http2.StreamProcessor");
			this.handler = accessible(this.streamProcessor.getDeclaredField("handler"));
			this.stream = accessible(this.streamProcessor.getDeclaredField("stream"));
			Class<?> stream = type("org.apache.coyote.http2.Stream");
			this.state = accessible(type("org.apache.coyote.http2.AbstractNonZeroStream").getDeclaredField("state"));
			this.streamId = accessible(type("org.apache.coyote.http2.AbstractStream").getDeclaredMethod("getIdAsInt"));
			Class<?> error = type("org.apache.coyote.http2.Http2Error");
			this.streamException = accessible(type("org.apache.coyote.http2.StreamException")
				.getDeclaredConstructor(String.class, error, int.class));
			this.cancel = accessible(error.getField("CANCEL")).get(null);
			this.sendStreamReset = accessible(type("org.apache.coyote.http2.Http2UpgradeHandler").getDeclaredMethod(
					"sendStreamReset", type("org.apache.coyote.http2.StreamStateMachine"),
					type("org.apache.coyote.http2.StreamException")));
			this.cancelAllocationRequests = accessible(stream.getDeclaredMethod("cancelAllocationRequests"));
			this.coyoteResponse = accessible(stream.getDeclaredMethod("getCoyoteResponse"));
			Class<?> actionCode = type("org.apache.coyote.ActionCode");
			this.action = type("org.apache.coyote.Response").getMethod("action", actionCode, Object.class);
			this.closeNow = actionCode.getField("CLOSE_NOW").get(null);
		}

		boolean isStream(Object processor) {
			return this.streamProcessor.isInstance(processor);
		}

		Consumer<Thread> abort(Object processor) {
			try {
				Object handler = this.handler.get(processor);
				Object stream = this.stream.get(processor);
				Object state = this.state.get(stream);
				Object response = this.coyoteResponse.invoke(stream);
				String message = "Client stopped reading its event stream";
				Object reset = this.streamException.newInstance(message, this.cancel, this.streamId.invoke(stream));
				// No interrupt: Tomcat takes an interrupted write for a broken connection.
				return (writer) -> {
					ReflectionUtils.invokeMethod(this.action, response, this.closeNow, new IOException(message));
					ReflectionUtils.invokeMethod(this.sendStreamReset, handler, state, reset);
					ReflectionUtils.invokeMethod(this.cancelAllocationRequests, stream);
				};
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return NONE;
			}
		}

	}

	/**
	 * Jetty's servlet channel of a request, which aborts the response and closes its
	 * connection (or only its stream, over HTTP/2).
	 */
	private static final class Jetty {

		static final @Nullable Jetty INSTANCE = load(Jetty::new);

		private final Method contextRequest;

		private final Method channel;

		private final Method abort;

		private final Method metaData;

		private final Method connection;

		private final Class<?> http11Connection;

		private final Method endPoint;

		private final Class<?> socketEndPoint;

		private final Method socketChannel;

		private Jetty() throws ReflectiveOperationException {
			Class<?> contextRequest = type("org.eclipse.jetty.ee11.servlet.ServletContextRequest");
			this.contextRequest = contextRequest.getMethod("getServletContextRequest", ServletRequest.class);
			this.channel = contextRequest.getMethod("getServletChannel");
			this.abort = type("org.eclipse.jetty.ee11.servlet.ServletChannel").getMethod("abort", Throwable.class);
			this.metaData = type("org.eclipse.jetty.server.Request").getMethod("getConnectionMetaData");
			this.connection = type("org.eclipse.jetty.server.ConnectionMetaData").getMethod("getConnection");
			this.http11Connection = type("org.eclipse.jetty.server.internal.HttpConnection");
			this.endPoint = type("org.eclipse.jetty.io.Connection").getMethod("getEndPoint");
			this.socketEndPoint = type("org.eclipse.jetty.io.SocketChannelEndPoint");
			this.socketChannel = this.socketEndPoint.getMethod("getChannel");
		}

		@Nullable SocketChannel channel(ServletRequest request) {
			try {
				Object connection = this.connection
					.invoke(this.metaData.invoke(this.contextRequest.invoke(null, request)));
				if (!this.http11Connection.isInstance(connection)) {
					return null;
				}
				Object endPoint = this.endPoint.invoke(connection);
				if (!this.socketEndPoint.isInstance(endPoint)) {
					return null;
				}
				return (this.socketChannel.invoke(endPoint) instanceof SocketChannel channel) ? channel : null;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
		}

		@Nullable Consumer<Thread> abort(ServletRequest request) {
			try {
				Object channel = this.channel.invoke(this.contextRequest.invoke(null, request));
				// Fails the write in progress, so no interrupt: Jetty warns about an
				// interrupted write.
				return (writer) -> ReflectionUtils.invokeMethod(this.abort, channel,
						new IOException("Client stopped reading its event stream"));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
		}

	}

	@FunctionalInterface
	private interface Lookup<T> {

		T get() throws ReflectiveOperationException;

	}

}
