/**
 * The load tool: opens SSE streams on loopback, publishes events and measures what arrives and what the server holds.
 */
@NullMarked
package dev.ssebroadcast.benchmarks.load;

import org.jspecify.annotations.NullMarked;
