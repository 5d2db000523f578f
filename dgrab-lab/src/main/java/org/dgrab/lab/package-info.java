/**
 * Examples and tools built on dgrab, run through the {@code ./dgrab} script: {@link org.dgrab.lab.Main} is the
 * picocli entry point, the commands live in {@code org.dgrab.lab.cli}, and result files and charts are
 * written with {@code org.dgrab.lab.report}. The JMH benchmarks live in {@code org.dgrab.lab.bench}.
 */
package org.dgrab.lab;
