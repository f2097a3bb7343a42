/**
 * Streaming each client's queue to its HTTP response with Spring MVC.
 */
@NullMarked
package dev.ssebroadcast.web;

import org.jspecify.annotations.NullMarked;
