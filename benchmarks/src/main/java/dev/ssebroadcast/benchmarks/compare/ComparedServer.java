package dev.ssebroadcast.benchmarks.compare;

import java.util.List;

/**
 * A server in the comparison: its name, how {@code java} launches it, and the
 * application arguments it gets besides {@code --server.port}.
 *
 * @param name the name in the results
 * @param launch what follows the JVM flags: {@code -jar app.jar} or {@code -cp … Main}
 * @param arguments application arguments
 */
public record ComparedServer(String name, List<String> launch, List<String> arguments) {
}
