package org.dgrab.lab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.internal.random.SplitMix64;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.dl4j.trainer.EpochStats;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Cost of one synchronous training step of {@link DataParallelTrainer} with last-layer (and, for comparison, batch)
 * units: the step the {@code dgrab cost} command times per epoch, without the data loading and the process around
 * it, so that a change on the last-layer step path (capture of the output layer's input, the per-example rows, the
 * hand-off to the ordering thread, the strategy's observe) shows up as microseconds per step rather than as a few
 * percent of a noisy epoch.
 *
 * <p>Each trial trains the issue 26 configuration: an MLP 784-256-10 (SGD), 4 workers x 16 examples per step, on
 * 1,024 synthetic Fashion-MNIST-shaped examples (seeded uniform pixels, seeded classes), so an epoch is 16 steps and
 * the epoch-end work (waiting for the ordering, {@code endEpoch}) is amortised over them as in an epoch. Parameters:
 * <ul>
 *   <li>{@code order}: {@code d-rr} (never reads gradients: the floor) or {@code cd-grab}; the cost of ordering is
 *   the difference of the two scores;</li>
 *   <li>{@code ordering}: {@code async} (the default trainer: rows formed and balanced on the ordering thread) or
 *   {@code sync} (everything on the benchmark thread, so the whole CPU cost of the ordering is in the score, whatever
 *   the other cores do; this is the variant that catches a slower path on a busy 2-core machine);</li>
 *   <li>{@code granularity}: {@code example-last-layer} or {@code batch}.</li>
 * </ul>
 *
 * <p>Only public API that is unchanged since commit 905bc15 is used, so the same file builds against that commit
 * for an A/B. Run: {@code OMP_NUM_THREADS=1 ./dgrab bench LastLayerStepBenchmark -f 1 -wi 3 -i 5}; the numbers and
 * the exact commands are in {@code docs/benchmarks.md} (issue 26).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class LastLayerStepBenchmark {
    /** Examples in the synthetic training set: 16 steps of 4 x 16 per epoch. */
    static final int EXAMPLES = 1024;
    /** Pixels of a Fashion-MNIST image. */
    static final int INPUTS = 784;
    /** Hidden units of the MLP. */
    static final int HIDDEN = 256;
    /** Classes of Fashion-MNIST. */
    static final int CLASSES = 10;

    /**
     * Seeded examples of the Fashion-MNIST shape: pixels uniform in [0, 1), one-hot labels of uniform classes.
     *
     * @param examples how many
     * @param seed     generator seed
     * @return the data set (FLOAT)
     */
    static DataSet syntheticImages(int examples, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        float[] x = new float[examples * INPUTS];
        float[] y = new float[examples * CLASSES];
        for (int i = 0; i < examples; i++) {
            for (int j = 0; j < INPUTS; j++) {
                x[i * INPUTS + j] = (float) rng.nextDouble();
            }
            y[i * CLASSES + rng.nextInt(CLASSES)] = 1f;
        }
        return new DataSet(Nd4j.create(x, new long[] {examples, INPUTS}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(y, new long[] {examples, CLASSES}, 'c').castTo(DataType.FLOAT));
    }

    /** One trainer per trial, stepped by the benchmark. */
    @State(Scope.Thread)
    public static class TrainerState {
        /** Unit granularity. */
        @Param({"example-last-layer", "batch"})
        public String granularity;

        /** Ordering: the gradient-free floor or CD-GraB. */
        @Param({"d-rr", "cd-grab"})
        public String order;

        /** Where the ordering reads the gradients: its own thread (the default) or the training thread. */
        @Param({"async", "sync"})
        public String ordering;

        DataParallelTrainer trainer;
        /** Epochs completed during the trial (checked at the tear-down). */
        int epochs;
        double lastLoss = Double.NaN;

        /** Builds the model, the data and the trainer. */
        @Setup(Level.Trial)
        public void setUp() {
            if (!ordering.equals("async") && !ordering.equals("sync")) {
                throw new IllegalArgumentException("ordering must be async or sync, got " + ordering);
            }
            MultiLayerNetwork net = Models.mlp(INPUTS, HIDDEN, CLASSES, new Sgd(0.05), 42);
            trainer = DataParallelTrainer.builder().setModel(net).setData(syntheticImages(EXAMPLES, 42))
                    .setOrdering(OrderingConfig.builder(OrderingConfig.Kind.parse(order)).optSeed(42).build())
                    .optWorkers(4).optBatchSize(16).optGranularity(Granularity.parse(granularity))
                    .optAsyncOrdering(ordering.equals("async")).build();
        }

        /**
         * Checks that the trial trained (whole epochs with a finite loss) and releases the ordering thread.
         *
         * @throws IllegalStateException if no epoch completed or the loss is not finite
         */
        @TearDown(Level.Trial)
        public void tearDown() {
            trainer.close();
            if (epochs == 0 || !Double.isFinite(lastLoss)) {
                throw new IllegalStateException(order + "/" + granularity + "/" + ordering + ": " + epochs
                        + " epochs completed, last loss " + lastLoss + "; expected at least one epoch with a finite loss");
            }
        }
    }

    /**
     * CPU time of the steps, reported beside the wall time: of the benchmark (training) thread, and of the whole JVM
     * (which adds the ordering thread, GC and JIT). On a machine shared with other processes the wall time mostly
     * measures them; CPU time measures the step's own work. JMH sums these counters over the measurement
     * iterations and prints them as secondary results ({@code step:trainThreadCpuNanos}, {@code step:processCpuNanos},
     * {@code step:steps}); CPU time per step is a CPU counter divided by {@code steps}.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuCounters {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        /** Training-thread CPU nanoseconds of this iteration's steps. */
        public long trainThreadCpuNanos;
        /** JVM CPU nanoseconds of this iteration's steps. */
        public long processCpuNanos;
        /** Steps in this iteration. */
        public long steps;

        /** Starts the iteration's sums (JMH adds up the iterations' values itself). */
        @Setup(Level.Iteration)
        public void reset() {
            trainThreadCpuNanos = 0;
            processCpuNanos = 0;
            steps = 0;
        }

        static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    /**
     * One synchronous step of 4 workers x 16 examples (every 16th call also ends the epoch).
     *
     * @param s   the trainer
     * @param cpu the CPU-time sums
     * @return the epoch's statistics when the step ended one, else null
     */
    @Benchmark
    public EpochStats step(TrainerState s, CpuCounters cpu) {
        long t0 = CpuCounters.THREADS.getCurrentThreadCpuTime();
        long p0 = CpuCounters.processCpuNanos();
        EpochStats e = s.trainer.step();
        cpu.trainThreadCpuNanos += CpuCounters.THREADS.getCurrentThreadCpuTime() - t0;
        cpu.processCpuNanos += CpuCounters.processCpuNanos() - p0;
        cpu.steps++;
        if (e != null) {
            s.epochs++;
            s.lastLoss = e.meanBatchLoss();
        }
        return e;
    }
}
