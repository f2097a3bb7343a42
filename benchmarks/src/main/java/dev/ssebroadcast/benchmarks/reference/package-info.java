/**
 * The bare reference server: one selector thread, plain JDK NIO.
 */
@NullMarked
package dev.ssebroadcast.benchmarks.reference;

import org.jspecify.annotations.NullMarked;
