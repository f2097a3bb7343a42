package dev.ssebroadcast.benchmarks.flux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The WebFlux baseline: a multicast sink and a {@code Flux<ServerSentEvent>} per client,
 * on Reactor Netty with Boot's defaults. Tomcat is on this module's class path too (for
 * the MVC baseline), so its reactive server is excluded to leave Netty. Run it without
 * the starter's jar on the class path (run.sh does).
 */
@SpringBootApplication(excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration")
public class FluxServer {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(FluxServer.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		application.run(args);
	}

}
