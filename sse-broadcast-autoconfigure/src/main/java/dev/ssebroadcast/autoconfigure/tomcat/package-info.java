/**
 * Auto-configuration of Tomcat for many event streams over HTTP/2.
 */
@NullMarked
package dev.ssebroadcast.autoconfigure.tomcat;

import org.jspecify.annotations.NullMarked;
