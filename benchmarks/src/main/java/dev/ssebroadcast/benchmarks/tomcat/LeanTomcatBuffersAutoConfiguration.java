package dev.ssebroadcast.benchmarks.tomcat;

import org.apache.catalina.startup.Tomcat;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Smaller per-connection socket buffers for Tomcat, for the comparison's
 * {@code sample-app-lean-tomcat} run, which adds this module's classes to the unchanged
 * sample app. Off unless {@code benchmarks.tomcat.lean-buffers=true}.
 * <p>
 * Tomcat keeps an application read buffer and an application write buffer per
 * connection (8 KiB each by default), and sizes each request's header buffer from the
 * read buffer too. An event stream needs neither at that size. Boot has no property for
 * them, hence a connector customizer; an application that wants the same copies it.
 */
@AutoConfiguration
@ConditionalOnClass(Tomcat.class)
@ConditionalOnProperty(name = "benchmarks.tomcat.lean-buffers", havingValue = "true")
public final class LeanTomcatBuffersAutoConfiguration {

	/** Bytes of the read and of the write buffer of each connection. */
	static final int SOCKET_BUFFER_BYTES = 2048;

	@Bean
	TomcatConnectorCustomizer leanSocketBuffers() {
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
			connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
		};
	}

}
