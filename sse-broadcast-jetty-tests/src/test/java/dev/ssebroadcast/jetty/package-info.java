/**
 * Checks that the scanned tests run on Jetty.
 */
@NullMarked
package dev.ssebroadcast.jetty;

import org.jspecify.annotations.NullMarked;
