/**
 * JMH benchmarks of the starter's public API.
 */
@NullMarked
package dev.ssebroadcast.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
