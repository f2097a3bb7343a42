package dev.ssebroadcast;

import org.jspecify.annotations.Nullable;

/**
 * An event in its wire form, shared by every client it is queued for and by the history.
 *
 * @param sequence the broadcaster-wide position, which orders events for replay
 * @param id the id written with the event, or {@code null} if it has none
 * @param frame the complete {@code text/event-stream} bytes, never modified
 * @param publishedNanos {@link System#nanoTime()} when it was published
 */
record EncodedEvent(long sequence, @Nullable String id, byte[] frame, long publishedNanos) {

}
