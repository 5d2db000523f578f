/**
 * The lab (module dgrab-lab): the experiment harness and tools built on dgrab, run through the {@code ./dgrab}
 * script; nothing depends on it (what a DL4J user reads is in dgrab-examples). {@link org.dgrab.lab.Main} is the
 * picocli entry point, the commands live in {@code org.dgrab.lab.cli}, and result files and charts are
 * written with {@code org.dgrab.lab.report}. The JMH benchmarks live in {@code org.dgrab.lab.bench}.
 */
package org.dgrab.lab;
