/**
 * Publishing Server-Sent Events: the {@link dev.ssebroadcast.SseBroadcaster}, the events
 * it sends and the clients it sends them to.
 */
@NullMarked
package dev.ssebroadcast;

import org.jspecify.annotations.NullMarked;
