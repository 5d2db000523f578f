package org.dgrab.lab.bench;

import java.util.concurrent.TimeUnit;

import org.dgrab.core.internal.balance.ArrayVectorBuffer;
import org.dgrab.core.internal.balance.CountSketch;
import org.dgrab.core.internal.balance.NdVectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of sketching one gradient with {@link CountSketch#apply} ({@code d = 10^6} inputs into {@code k = 1024}
 * buckets, as a CD-GraB worker does before every report when a sketch is configured).
 *
 * <ul>
 *   <li>{@link #sketchNd}: an ND4J FLOAT gradient into an {@link NdVectorBuffer} (the path DL4J training takes);</li>
 *   <li>{@link #sketchArray}: a {@code double[]} gradient into an {@link ArrayVectorBuffer}.</li>
 * </ul>
 * Both read the input once and touch {@code k} output values; compare with {@link BalanceStepBenchmark}'s
 * {@code floorJavaReadTwice} at {@code d = 10^6}. Results are in {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class CountSketchBenchmark {

    /** A gradient, its sketch buffers and the sketch. */
    @State(Scope.Thread)
    public static class SketchState {
        /** Input dimension d. */
        @Param({"1000000"})
        public int dim;

        /** Sketch dimension k. */
        @Param({"1024"})
        public int k;

        CountSketch sketch;
        VectorRef ndInput;
        NdVectorBuffer ndOut;
        CountSketch.Scratch scratch;
        VectorRef arrayInput;
        ArrayVectorBuffer arrayOut;

        /** Builds the sketch and fills the inputs; the first ND call's lazy set-up is done here too. */
        @Setup(Level.Trial)
        public void setUp() {
            sketch = new CountSketch(7, dim, k);
            double[] values = BalanceStepBenchmark.randomValues(5, dim);
            ndInput = new VectorRef().set(Nd4j.createFromArray(BalanceStepBenchmark.toFloats(values)));
            ndOut = new NdVectorBuffer(DataType.FLOAT, k);
            scratch = new CountSketch.Scratch();
            arrayInput = new VectorRef().set(values, 0, dim);
            arrayOut = new ArrayVectorBuffer(k);
            sketch.apply(ndInput, ndOut, scratch);
        }
    }

    /**
     * Sketch of an ND4J FLOAT gradient.
     *
     * @param s state
     * @return the output buffer (consumed by JMH)
     */
    @Benchmark
    public Object sketchNd(SketchState s) {
        s.sketch.apply(s.ndInput, s.ndOut, s.scratch);
        return s.ndOut;
    }

    /**
     * Sketch of a {@code double[]} gradient.
     *
     * @param s state
     * @return the output buffer (consumed by JMH)
     */
    @Benchmark
    public Object sketchArray(SketchState s) {
        s.sketch.apply(s.arrayInput, s.arrayOut, s.scratch);
        return s.arrayOut;
    }
}
