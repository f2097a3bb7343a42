package dev.ssebroadcast.web;

import java.io.IOException;
import java.lang.reflect.AccessibleObject;
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
 * the public {@code ServletChannel.abort}. Tomcat ignores an interrupted write, so on
 * its HTTP/1.1 NIO connector the connection's socket is reset, reached the way Spring
 * Framework's own Tomcat adapter reaches Tomcat's request, and the writing thread is
 * then interrupted. Elsewhere, and for Tomcat's HTTP/2 streams, which share their
 * connection, the writing thread is interrupted and the container's own timeouts do
 * the rest.
 */
final class ConnectionAbort {

	private static final Consumer<Thread> INTERRUPT = Thread::interrupt;

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
			case TOMCAT_REQUEST -> (Tomcat.INSTANCE != null) ? Tomcat.INSTANCE.abort(request) : null;
			case JETTY_REQUEST -> (Jetty.INSTANCE != null) ? Jetty.INSTANCE.abort(request) : null;
			default -> null;
		};
		return (abort != null) ? abort : INTERRUPT;
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
			case TOMCAT_REQUEST -> (Tomcat.INSTANCE != null) ? Tomcat.INSTANCE.channel(request) : null;
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

		@Nullable Consumer<Thread> abort(ServletRequest facade) {
			SocketChannel channel = channel(facade);
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

		@Nullable SocketChannel channel(ServletRequest facade) {
			try {
				Object processor = this.processor.get(this.coyoteRequest.invoke(this.facadeRequest.get(facade)));
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
