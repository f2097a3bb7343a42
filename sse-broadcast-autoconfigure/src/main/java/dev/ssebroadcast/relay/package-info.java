/**
 * The seam between publishing and local fan-out: an {@link dev.ssebroadcast.relay.SseRelay}
 * carries each encoded event to every instance's {@link dev.ssebroadcast.relay.SseFanOut},
 * which numbers, keeps and queues it. The in-process relay is the default; a shared one
 * (for example on Redis) makes several instances act as one broadcaster.
 */
@NullMarked
package dev.ssebroadcast.relay;

import org.jspecify.annotations.NullMarked;
