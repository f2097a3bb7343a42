package dev.ssebroadcast.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A chat-like demo: browsers stream {@code GET /sse} and anyone can
 * {@code POST /broadcast} a line to all of them.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
