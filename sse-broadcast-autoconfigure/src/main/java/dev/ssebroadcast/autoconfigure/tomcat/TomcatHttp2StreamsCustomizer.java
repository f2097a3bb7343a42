package dev.ssebroadcast.autoconfigure.tomcat;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.http2.Http2Protocol;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Lets one HTTP/2 connection to Tomcat carry many event streams. Tomcat allows 100
 * concurrent streams per connection; a browser, or a proxy that multiplexes its users
 * onto few connections, that opens more has the rest refused, and past 150 the whole
 * connection is closed. A limit changed from Tomcat's default is kept.
 */
public class TomcatHttp2StreamsCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	private static final long TOMCAT_DEFAULT = new Http2Protocol().getMaxConcurrentStreams();

	private final long maxConcurrentStreams;

	/**
	 * Create the customizer.
	 * @param maxConcurrentStreams streams one HTTP/2 connection may have open at once
	 */
	public TomcatHttp2StreamsCustomizer(long maxConcurrentStreams) {
		this.maxConcurrentStreams = maxConcurrentStreams;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addConnectorCustomizers(this::customize);
	}

	private void customize(Connector connector) {
		for (UpgradeProtocol protocol : connector.findUpgradeProtocols()) {
			if (protocol instanceof Http2Protocol http2 && http2.getMaxConcurrentStreams() == TOMCAT_DEFAULT) {
				http2.setMaxConcurrentStreams(this.maxConcurrentStreams);
			}
		}
	}

}
