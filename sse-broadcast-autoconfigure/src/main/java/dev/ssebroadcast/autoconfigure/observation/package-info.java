/**
 * Auto-configuration of how streams take part in Micrometer observations.
 */
@NullMarked
package dev.ssebroadcast.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
