package dev.ssebroadcast.benchmarks.emitter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring MVC baseline: what an application without this starter typically writes,
 * a list of {@code SseEmitter}s and a loop that sends to each, on Tomcat with Boot's
 * defaults. Run it without the starter's jar on the class path (run.sh does), so that
 * nothing of ours takes part.
 */
@SpringBootApplication
public class EmitterServer {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(EmitterServer.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.run(args);
	}

}
