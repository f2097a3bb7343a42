/**
 * Writes the results as JSON, Markdown tables and an SVG plot.
 */
@NullMarked
package dev.ssebroadcast.benchmarks.report;

import org.jspecify.annotations.NullMarked;
