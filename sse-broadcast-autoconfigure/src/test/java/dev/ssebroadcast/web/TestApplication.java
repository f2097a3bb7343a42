package dev.ssebroadcast.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The smallest application that uses the starter: nothing but auto-configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {

}
