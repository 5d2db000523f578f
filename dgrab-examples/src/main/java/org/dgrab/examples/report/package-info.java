/**
 * Writing results: {@link org.dgrab.examples.report.ResultFiles} (a command's result files, each written on its
 * own, complete or not at all, through core's {@code AtomicFiles}; failures collected with path and cause),
 * {@link org.dgrab.examples.report.LineChart} (PNG charts with XChart, headless) and
 * {@link org.dgrab.examples.report.TextTable} (aligned tables for the terminal). Nothing here knows about
 * orderings; the commands in {@code org.dgrab.examples.cli} decide what to write.
 */
package org.dgrab.examples.report;
