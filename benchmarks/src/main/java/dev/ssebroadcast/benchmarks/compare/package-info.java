/**
 * Runs every server in its own JVM under the load tool, side by side.
 */
@NullMarked
package dev.ssebroadcast.benchmarks.compare;

import org.jspecify.annotations.NullMarked;
