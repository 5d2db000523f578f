/**
 * JMH micro-benchmarks of the ordering engine's hot path.
 *
 * <p>{@link org.dgrab.lab.bench.BalanceStepBenchmark} times one balancing step ({@code <r, d>} plus
 * {@code r += s d}) on ND4J buffers against the cost of simply reading the vector twice, the full PairBalance
 * per-pair work, and the {@code double[]} path for small vectors; {@link org.dgrab.lab.bench.CountSketchBenchmark}
 * times sketching a gradient. The annotation processor writes {@code META-INF/BenchmarkList} at compile time, so
 * {@code java -cp ... org.openjdk.jmh.Main BalanceStepBenchmark} (or {@code ./dgrab bench ...}) finds them.
 * Results and the exact commands are in {@code docs/benchmarks.md}.
 *
 * <p>{@link org.dgrab.lab.bench.PairCopyFloor} and {@link org.dgrab.lab.bench.OffloadFloor} are not JMH
 * benchmarks but cost floors for {@code dgrab cost --floors}: decorators of a gradient-free ordering that do only
 * part of a pair ordering's work, to show how much of CD-GraB's overhead any implementation would pay.
 */
package org.dgrab.lab.bench;
