/**
 * Testing Server-Sent Events endpoints: a client that records what a stream delivers and
 * waits for it.
 */
@NullMarked
package dev.ssebroadcast.test;

import org.jspecify.annotations.NullMarked;
