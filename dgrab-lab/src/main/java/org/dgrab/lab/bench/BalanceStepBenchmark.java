package org.dgrab.lab.bench;

import java.util.concurrent.TimeUnit;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.balance.ArrayVectorBuffer;
import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.internal.balance.NdVectorBuffer;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.random.SplitMix64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.BlasWrapper;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one balancing step, and of PairBalance's whole per-pair work, compared with the cost of merely reading the
 * vector.
 *
 * <p>What each benchmark measures (average time per call; one call is one step or one pair):
 * <ul>
 *   <li>{@link #balanceStep}: {@link Balancer#balance(VectorBuffer)} on an {@link NdVectorBuffer} of FLOAT: one BLAS
 *   {@code sdot} ({@code <r, d>}) and one {@code saxpy} ({@code r += s d}), in place;</li>
 *   <li>{@link #floorAsumTwice}: the memory-bandwidth floor "read the vector twice", as two BLAS {@code sasum}
 *   calls on {@code d} through the same {@link BlasWrapper} the buffer uses (so it also pays two native calls);</li>
 *   <li>{@link #floorDotTwice}: two BLAS {@code sdot(r, d)}: the same reads as a balancing step (two passes over both
 *   vectors), without the write of {@code r};</li>
 *   <li>{@link #floorJavaReadTwice}: a plain Java loop (eight accumulators) summing a heap {@code float[]} copy of
 *   {@code d} twice: the read floor without any native call;</li>
 *   <li>{@link #pairBalanceBufferOps}: PairBalance's per-pair work written with the buffer operations: copy the
 *   first gradient, form {@code d = g_a - g_b}, balance {@code d} (copy, one element-wise subtraction, dot,
 *   axpy);</li>
 *   <li>{@link #pairBalanceObserve}: the same through the public API, two
 *   {@link OrderingStrategy#observe(int, int, INDArray)} calls of a {@code PAIR_BALANCE} strategy with 1024 units
 *   (so {@link OrderingStrategy#endEpoch()}, which zeroes the running sum, is amortised over 512 pairs);</li>
 *   <li>{@link #smallArrayBalanceStep}, {@link #smallNdBalanceStep}, {@link #smallArrayPairBalanceObserve}: the
 *   {@code double[]} path ({@link ArrayVectorBuffer}) against ND4J for small vectors (16 and 256 elements, the
 *   size of sketches and simulations).</li>
 * </ul>
 *
 * <p>The running sum stays bounded: every benchmark balances the same vector again and again, and the greedy rule
 * then alternates exactly between {@code r = 0} (sign +1, {@code r = d}) and {@code r = d} (sign -1,
 * {@code r = 0}), with no rounding; the tear-down checks this. All buffers are allocated in the set-up, so the
 * measured path allocates only what the library itself allocates per call ({@code -prof gc} reports it as
 * {@code gc.alloc.rate.norm}).
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main BalanceStepBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}; results and
 * the exact commands are in {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class BalanceStepBenchmark {

    /** Units per epoch of the strategies driven through {@link OrderingStrategy#observe}. */
    static final int UNITS = 1024;

    /** Vectors of a few uniform values in [-1, 1), fixed by the seed. */
    static double[] randomValues(long seed, int dim) {
        SplitMix64 rng = new SplitMix64(seed);
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            // Rounded to float so that the FLOAT and double[] copies hold the same numbers.
            v[i] = (float) (2.0 * rng.nextDouble() - 1.0);
        }
        return v;
    }

    /**
     * Throws if a running sum is not one of the two states the alternation allows ({@code 0} or {@code d}).
     *
     * @param what benchmark state, for the message
     * @param r    running sum, or null if never used
     * @param d    the vector balanced
     */
    static void checkBounded(String what, VectorBuffer r, VectorBuffer d) {
        if (r == null) {
            return;
        }
        double rr = r.dot(r);
        double dd = d.dot(d);
        if (!Double.isFinite(rr) || rr > dd * (1 + 1e-6)) {
            throw new IllegalStateException(what + ": running sum left its bounds: |r|^2 = " + rr + ", |d|^2 = " + dd);
        }
    }

    /** ND4J FLOAT vectors of dimension 10^4, 10^5, 10^6 and everything the large-vector benchmarks touch. */
    @State(Scope.Thread)
    public static class NdState {
        /** Vector dimension. */
        @Param({"10000", "100000", "1000000"})
        public int dim;

        NdVectorBuffer d;
        Balancer balancer;
        INDArray dArray;
        INDArray otherArray;
        float[] heap;

        INDArray gA;
        INDArray gB;
        VectorRef refA;
        VectorRef refB;
        NdVectorBuffer first;
        NdVectorBuffer diff;
        Balancer pairBalancer;

        OrderingStrategy strategy;
        int step;

        /** Allocates and fills every vector; nothing is allocated by the benchmark itself. */
        @Setup(Level.Trial)
        public void setUp() {
            double[] values = randomValues(1, dim);
            d = new NdVectorBuffer(DataType.FLOAT, dim);
            d.setFrom(values);
            dArray = d.array();
            otherArray = Nd4j.createFromArray(toFloats(randomValues(2, dim)));
            heap = toFloats(values);
            balancer = new Balancer(SignRule.deterministic(), 0);

            gA = Nd4j.createFromArray(toFloats(randomValues(3, dim)));
            gB = Nd4j.createFromArray(toFloats(randomValues(4, dim)));
            refA = new VectorRef().set(gA);
            refB = new VectorRef().set(gB);
            first = new NdVectorBuffer(DataType.FLOAT, dim);
            diff = new NdVectorBuffer(DataType.FLOAT, dim);
            pairBalancer = new Balancer(SignRule.deterministic(), 0);

            strategy = OrderingConfig.builder(OrderingConfig.Kind.PAIR_BALANCE).optSeed(1).build().create(UNITS);
            step = 0;
        }

        /** Checks that the running sums stayed bounded, and releases the strategy. */
        @TearDown(Level.Trial)
        public void tearDown() {
            checkBounded("balanceStep", balancer.runningSum(), d);
            checkBounded("pairBalanceBufferOps", pairBalancer.runningSum(), diff);
            strategy.close();
        }
    }

    /** Small vectors (16, 256, and 2570: the MLP's last-layer gradient) on both the {@code double[]} and the ND4J path. */
    @State(Scope.Thread)
    public static class SmallState {
        /** Vector dimension. */
        @Param({"16", "256", "2570"})
        public int dim;

        ArrayVectorBuffer array;
        Balancer arrayBalancer;
        NdVectorBuffer nd;
        Balancer ndBalancer;
        double[] pair;
        OrderingStrategy strategy;
        int step;

        /** Allocates and fills every vector. */
        @Setup(Level.Trial)
        public void setUp() {
            double[] values = randomValues(1, dim);
            array = new ArrayVectorBuffer(dim);
            array.setFrom(values);
            arrayBalancer = new Balancer(SignRule.deterministic(), 0);
            nd = new NdVectorBuffer(DataType.FLOAT, dim);
            nd.setFrom(values);
            ndBalancer = new Balancer(SignRule.deterministic(), 0);
            // The two gradients of a pair side by side in one array: [0, dim) and [dim, 2 dim).
            pair = new double[2 * dim];
            System.arraycopy(randomValues(3, dim), 0, pair, 0, dim);
            System.arraycopy(randomValues(4, dim), 0, pair, dim, dim);
            strategy = OrderingConfig.builder(OrderingConfig.Kind.PAIR_BALANCE).optSeed(1).build().create(UNITS);
            step = 0;
        }

        /** Checks that the running sums stayed bounded, and releases the strategy. */
        @TearDown(Level.Trial)
        public void tearDown() {
            checkBounded("smallArrayBalanceStep", arrayBalancer.runningSum(), array);
            checkBounded("smallNdBalanceStep", ndBalancer.runningSum(), nd);
            strategy.close();
        }
    }

    static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * One balancing step on ND4J FLOAT: {@code sdot} plus {@code saxpy}.
     *
     * @param s state
     * @return the sign (consumed by JMH)
     */
    @Benchmark
    public int balanceStep(NdState s) {
        return s.balancer.balance(s.d);
    }

    /**
     * Floor: read {@code d} twice with two BLAS {@code sasum} calls.
     *
     * @param s state
     * @return the sums (consumed by JMH)
     */
    @Benchmark
    public double floorAsumTwice(NdState s) {
        BlasWrapper blas = Nd4j.getBlasWrapper();
        return blas.asum(s.dArray) + blas.asum(s.dArray);
    }

    /**
     * Floor: two BLAS {@code sdot(r, d)}, the reads of a balancing step without its write.
     *
     * @param s state
     * @return the sums (consumed by JMH)
     */
    @Benchmark
    public double floorDotTwice(NdState s) {
        BlasWrapper blas = Nd4j.getBlasWrapper();
        return blas.dot(s.otherArray, s.dArray) + blas.dot(s.otherArray, s.dArray);
    }

    /**
     * Floor: a plain Java loop reading a heap copy of {@code d} twice.
     *
     * @param s state
     * @return the sum (consumed by JMH)
     */
    @Benchmark
    public float floorJavaReadTwice(NdState s) {
        return readTwice(s.heap);
    }

    static float readTwice(float[] a) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int n = a.length;
        for (int pass = 0; pass < 2; pass++) {
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                s0 += a[i];
                s1 += a[i + 1];
                s2 += a[i + 2];
                s3 += a[i + 3];
                s4 += a[i + 4];
                s5 += a[i + 5];
                s6 += a[i + 6];
                s7 += a[i + 7];
            }
            for (; i < n; i++) {
                s0 += a[i];
            }
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * PairBalance per pair with buffer operations: copy, difference, dot, axpy.
     *
     * @param s state
     * @return the sign (consumed by JMH)
     */
    @Benchmark
    public int pairBalanceBufferOps(NdState s) {
        s.first.assign(s.refA);
        s.diff.difference(s.first, s.refB);
        return s.pairBalancer.balance(s.diff);
    }

    /**
     * PairBalance per pair through the public API: two {@code observe} calls (plus {@code endEpoch} every 512
     * pairs).
     *
     * @param s state
     * @return the current step (consumed by JMH)
     */
    @Benchmark
    public int pairBalanceObserve(NdState s) {
        OrderingStrategy st = s.strategy;
        st.observe(0, s.step, s.gA);
        st.observe(0, s.step + 1, s.gB);
        s.step += 2;
        if (s.step == UNITS) {
            st.endEpoch();
            s.step = 0;
        }
        return s.step;
    }

    /**
     * One balancing step on a small {@link ArrayVectorBuffer} (plain Java loops).
     *
     * @param s state
     * @return the sign (consumed by JMH)
     */
    @Benchmark
    public int smallArrayBalanceStep(SmallState s) {
        return s.arrayBalancer.balance(s.array);
    }

    /**
     * One balancing step on a small ND4J FLOAT buffer, for comparison with the {@code double[]} path.
     *
     * @param s state
     * @return the sign (consumed by JMH)
     */
    @Benchmark
    public int smallNdBalanceStep(SmallState s) {
        return s.ndBalancer.balance(s.nd);
    }

    /**
     * PairBalance per pair on {@code double[]} slices through the public API (two {@code observe} calls).
     *
     * @param s state
     * @return the current step (consumed by JMH)
     */
    @Benchmark
    public int smallArrayPairBalanceObserve(SmallState s) {
        OrderingStrategy st = s.strategy;
        st.observe(0, s.step, s.pair, 0, s.dim);
        st.observe(0, s.step + 1, s.pair, s.dim, s.dim);
        s.step += 2;
        if (s.step == UNITS) {
            st.endEpoch();
            s.step = 0;
        }
        return s.step;
    }
}
