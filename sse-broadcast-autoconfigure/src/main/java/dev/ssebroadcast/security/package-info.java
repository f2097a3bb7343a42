/**
 * Streams that end when the Spring Security authentication that opened them expires.
 */
@NullMarked
package dev.ssebroadcast.security;

import org.jspecify.annotations.NullMarked;
