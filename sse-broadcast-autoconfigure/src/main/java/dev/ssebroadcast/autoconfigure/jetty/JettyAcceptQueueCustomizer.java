package dev.ssebroadcast.autoconfigure.jetty;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Gives Jetty's connectors a long accept queue. Jetty leaves it to the JDK's default of
 * 50; after a deploy every browser reconnects at once, and a connection that finds the
 * queue full waits a second or more for its next attempt. A connector whose queue size
 * is already set keeps it.
 */
public class JettyAcceptQueueCustomizer implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> {

	private final int acceptQueueSize;

	/**
	 * Create the customizer.
	 * @param acceptQueueSize connections the operating system may hold for Jetty to accept
	 */
	public JettyAcceptQueueCustomizer(int acceptQueueSize) {
		this.acceptQueueSize = acceptQueueSize;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		factory.addServerCustomizers((server) -> {
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector && serverConnector.getAcceptQueueSize() == 0) {
					serverConnector.setAcceptQueueSize(this.acceptQueueSize);
				}
			}
		});
	}

}
