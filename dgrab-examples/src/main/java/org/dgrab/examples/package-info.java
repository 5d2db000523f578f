/**
 * Examples and tools built on dgrab, run through the {@code ./dgrab} script: {@link org.dgrab.examples.Main} is the
 * picocli entry point, the commands live in {@code org.dgrab.examples.cli}, and result files and charts are
 * written with {@code org.dgrab.examples.report}. The JMH benchmarks live in {@code org.dgrab.examples.bench}.
 */
package org.dgrab.examples;
