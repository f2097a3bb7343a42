/**
 * The bounded, lock-free queue that sits between the publishers and one client's stream.
 */
@NullMarked
package dev.ssebroadcast.queue;

import org.jspecify.annotations.NullMarked;
