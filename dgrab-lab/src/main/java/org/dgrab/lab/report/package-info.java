/**
 * Writing results: {@link org.dgrab.lab.report.ResultFiles} (a command's result files, each written on its
 * own, complete or not at all, through core's {@code AtomicFiles}; failures collected with path and cause),
 * {@link org.dgrab.lab.report.LineChart} (PNG charts with XChart, headless) and
 * {@link org.dgrab.lab.report.TextTable} (aligned tables for the terminal). Nothing here knows about
 * orderings; the commands in {@code org.dgrab.lab.cli} decide what to write.
 */
package org.dgrab.lab.report;
