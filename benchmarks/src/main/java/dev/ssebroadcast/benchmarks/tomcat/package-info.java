/**
 * Opt-in Tomcat settings that the comparison measures.
 */
@NullMarked
package dev.ssebroadcast.benchmarks.tomcat;

import org.jspecify.annotations.NullMarked;
