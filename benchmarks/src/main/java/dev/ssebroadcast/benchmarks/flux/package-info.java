/**
 * The WebFlux baseline: a multicast sink on Reactor Netty.
 */
@NullMarked
package dev.ssebroadcast.benchmarks.flux;

import org.jspecify.annotations.NullMarked;
