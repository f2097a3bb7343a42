/**
 * Auto-configuration of the guards that end streams with their authentication or session.
 */
@NullMarked
package dev.ssebroadcast.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
