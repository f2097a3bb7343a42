/**
 * Auto-configuration and properties for broadcasting Server-Sent Events.
 */
@NullMarked
package dev.ssebroadcast.autoconfigure;

import org.jspecify.annotations.NullMarked;
