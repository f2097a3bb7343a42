/**
 * The Spring MVC baseline: a list of SseEmitters on Tomcat.
 */
@NullMarked
package dev.ssebroadcast.benchmarks.emitter;

import org.jspecify.annotations.NullMarked;
