/**
 * Auto-configuration of Jetty's threads for streams on virtual threads.
 */
@NullMarked
package dev.ssebroadcast.autoconfigure.jetty;

import org.jspecify.annotations.NullMarked;
