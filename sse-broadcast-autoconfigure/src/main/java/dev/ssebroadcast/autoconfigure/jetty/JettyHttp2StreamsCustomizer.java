package dev.ssebroadcast.autoconfigure.jetty;

import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Lets one HTTP/2 connection to Jetty carry many event streams. Jetty allows 128
 * concurrent streams per connection; a browser, or a proxy that multiplexes its users
 * onto few connections, that opens more has the rest refused. A limit changed from
 * Jetty's default is kept.
 */
public class JettyHttp2StreamsCustomizer implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> {

	// Jetty's own default, which its connection factories do not expose as a constant.
	private static final int JETTY_DEFAULT = 128;

	private final int maxConcurrentStreams;

	/**
	 * Create the customizer.
	 * @param maxConcurrentStreams streams one HTTP/2 connection may have open at once
	 */
	public JettyHttp2StreamsCustomizer(int maxConcurrentStreams) {
		this.maxConcurrentStreams = maxConcurrentStreams;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		factory.addServerCustomizers((server) -> {
			for (Connector connector : server.getConnectors()) {
				for (ConnectionFactory connectionFactory : connector.getConnectionFactories()) {
					if (connectionFactory instanceof AbstractHTTP2ServerConnectionFactory http2
							&& http2.getMaxConcurrentStreams() == JETTY_DEFAULT) {
						http2.setMaxConcurrentStreams(this.maxConcurrentStreams);
					}
				}
			}
		});
	}

}
