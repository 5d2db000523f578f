package org.dgrab.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.random.Permutations;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordering state on the driver: one {@link OrderingStrategy} (for CD-GraB its coordinator and every worker's
 * pair state), fed with the executors' step reports in canonical order (step, then worker) after each job. Signs
 * only shape the next epoch, so balancing a window's reports after the window gives exactly the orders of online
 * balancing. The strategy balances the reported vectors as they are (the sketching happened on the executors with
 * the same (seed, d, k) an in-process strategy would use), so it is created from the configuration without its
 * sketch.
 *
 * <p>A worker with missing reports (after Spark's own retries) gets zero vectors in their place, which leave the
 * shared running sum and so the other workers' signs untouched (deterministic sign rule), and its next order is
 * replaced by D-RR's for that epoch, with a WARN naming it. The strategy does not know about the replacement: a
 * per-worker relabelling maps the strategy's unit labels to the units actually visited, so later reports are
 * attributed to the right units.
 */
final class DriverOrdering implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DriverOrdering.class);

    private final OrderingConfig config;
    private final OrderingStrategy strategy;
    private final int[] units;
    private final int steps;
    private final DataType type;
    private final int dim;
    /** relabel[w][label] = the unit of worker w that the strategy's unit label stands for. */
    private final int[][] relabel;
    private final TreeSet<Integer> missing = new TreeSet<>();
    private INDArray zero;
    private int fed;
    private long lateReports;

    /**
     * @param config the user's configuration (its sketch, if any, is applied on the executors)
     * @param units  units of each worker
     * @param type   the data type of reported vectors (the model's)
     * @param dim    the length of reported vectors (k, or the gradient length without a sketch)
     */
    DriverOrdering(OrderingConfig config, int[] units, DataType type, int dim) {
        this.config = config;
        this.strategy = withoutSketch(config).create(units);
        this.units = units.clone();
        this.steps = Arrays.stream(units).max().orElseThrow();
        this.type = type;
        this.dim = dim;
        this.relabel = new int[units.length][];
        for (int w = 0; w < units.length; w++) {
            relabel[w] = Permutations.identity(units[w]);
        }
    }

    /**
     * @param c a configuration
     * @return the same ordering, options and seed without a sketch (the vectors it gets are sketched already)
     */
    static OrderingConfig withoutSketch(OrderingConfig c) {
        if (c.sketchDim() == 0) {
            return c;
        }
        OrderingConfig.Builder b = OrderingConfig.builder(c.kind()).optSeed(c.seed()).optSignRule(c.signRule())
                .optNonFinitePolicy(c.nonFinitePolicy());
        if (c.kind() == OrderingConfig.Kind.CD_GRAB) {
            b.optSignTimeout(c.signTimeout());
        }
        if (c.kind() == OrderingConfig.Kind.CD_GRAB_RECURSIVE) {
            b.optDepth(c.depth());
        }
        return b.build();
    }

    /** @return the strategy (its counters and epoch; orders through {@link #orders()}) */
    OrderingStrategy strategy() {
        return strategy;
    }

    /** @return whether the ordering needs gradient reports */
    boolean needsGradients() {
        return strategy.needsGradients();
    }

    /** @return the current epoch */
    int epoch() {
        return strategy.epoch();
    }

    /** @return the longest shard's units: steps per epoch */
    int steps() {
        return steps;
    }

    /** @return the next step to be fed in the current epoch: 0 between epochs */
    int position() {
        return fed;
    }

    /** @return reports that came for another epoch or step range than the job's, ignored */
    long lateReports() {
        return lateReports;
    }

    /** @return every worker's order of the current epoch (units as stored in its partition) */
    int[][] orders() {
        int[][] o = new int[units.length][];
        for (int w = 0; w < units.length; w++) {
            o[w] = new int[units[w]];
            for (int t = 0; t < units[w]; t++) {
                o[w][t] = relabel[w][strategy.unitAt(w, t)];
            }
        }
        return o;
    }

    /**
     * Feeds one window's reports in canonical order. Reports outside the window are ignored (counted as late).
     *
     * @param from    first step of the window, which must be the next step not yet fed
     * @param to      end of the window (exclusive)
     * @param reports the job's reports
     * @return the reports used, by key
     */
    Map<ReportKey, StepReport> accept(int from, int to, List<StepReport> reports) {
        if (from != fed || to <= from || to > steps) {
            throw new IllegalStateException("window [" + from + ", " + to + ") does not follow step " + fed
                    + " of an epoch of " + steps + " steps");
        }
        int epoch = strategy.epoch();
        Map<ReportKey, StepReport> byKey = new HashMap<>();
        for (StepReport r : reports) {
            ReportKey k = r.key();
            boolean inWindow = k.epoch() == epoch && k.step() >= from && k.step() < to && k.worker() >= 0
                    && k.worker() < units.length && k.step() < units[k.worker()];
            if (!inWindow) {
                lateReports++;
                log.debug("ignoring report {} outside epoch {} steps [{}, {})", k, epoch, from, to);
                continue;
            }
            if (strategy.needsGradients() && (!r.hasVector() || r.dim() != dim)) {
                throw new IllegalStateException("report " + k + " carries " + r.dim() + " values, expected " + dim
                        + " (the sketch dimension, or the gradient length without a sketch)");
            }
            byKey.putIfAbsent(k, r);
        }
        for (int t = from; t < to; t++) {
            for (int w = 0; w < units.length; w++) {
                if (t >= units[w]) {
                    continue;
                }
                StepReport r = byKey.get(new ReportKey(epoch, w, t));
                if (r == null) {
                    missing.add(w);
                }
                if (strategy.needsGradients()) {
                    strategy.observe(w, t, r == null ? zero() : r.vector());
                }
            }
        }
        fed = to;
        return byKey;
    }

    private INDArray zero() {
        if (zero == null) {
            zero = Nd4j.zeros(type, dim);
        }
        return zero;
    }

    /**
     * Ends the epoch: the strategy computes the next orders; workers with missing reports get D-RR's order instead.
     *
     * @return the workers that fell back to D-RR (empty for orderings without gradients, which need no reports)
     */
    List<Integer> endEpoch() {
        if (fed != steps) {
            throw new IllegalStateException("epoch " + strategy.epoch() + " ended after step " + fed + " of " + steps);
        }
        int next = strategy.epoch() + 1;
        strategy.endEpoch();
        List<Integer> fallback = new ArrayList<>();
        if (strategy.needsGradients()) {
            for (int w : missing) {
                int[] pi = Permutations.random(config.seed(), next, w, units[w]);
                for (int t = 0; t < units[w]; t++) {
                    relabel[w][strategy.unitAt(w, t)] = pi[t];
                }
                fallback.add(w);
                log.warn("worker {} sent no reports for some steps of epoch {} (after Spark's retries): its order "
                        + "for epoch {} is D-RR's instead of {}'s", w, next - 1, next, config.kind().id());
            }
        }
        missing.clear();
        fed = 0;
        return fallback;
    }

    /**
     * @return the ordering state at an epoch boundary: the strategy's checkpoint and the relabelling
     * @throws IOException on failure
     * @throws IllegalStateException in the middle of an epoch
     */
    byte[] save() throws IOException {
        if (fed != 0) {
            throw new IllegalStateException("the Spark trainer checkpoints between epochs only; epoch "
                    + strategy.epoch() + " is at step " + fed + " of " + steps + ": save after fitEpoch() returns");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(units.length);
        for (int w = 0; w < units.length; w++) {
            out.writeInt(units[w]);
            for (int u : relabel[w]) {
                out.writeInt(u);
            }
        }
        out.flush();
        strategy.save(b);
        return b.toByteArray();
    }

    /**
     * Restores a state written by {@link #save()}; checks everything first (the strategy checks its own part).
     *
     * @param bytes the state
     * @throws IOException if it does not fit this ordering (workers, units, not permutations, the strategy's checks)
     */
    void restore(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int n;
        int[][] maps = new int[units.length][];
        try {
            n = in.readInt();
            if (n != units.length) {
                throw new IOException("ordering state has " + n + " workers, this trainer " + units.length);
            }
            for (int w = 0; w < n; w++) {
                int m = in.readInt();
                if (m != units[w]) {
                    throw new IOException("ordering state has " + m + " units for worker " + w + ", this trainer "
                            + units[w]);
                }
                maps[w] = new int[m];
                for (int t = 0; t < m; t++) {
                    maps[w][t] = in.readInt();
                }
                if (!Permutations.isPermutation(maps[w])) {
                    throw new IOException("ordering state: worker " + w + "'s relabelling is not a permutation");
                }
            }
        } catch (java.io.EOFException e) {
            throw new IOException("ordering state truncated in its relabelling", e);
        }
        strategy.restore(in);
        for (int w = 0; w < n; w++) {
            relabel[w] = maps[w];
        }
        missing.clear();
        fed = 0;
    }

    @Override
    public void close() {
        strategy.close();
    }
}
