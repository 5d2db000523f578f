package org.dgrab.core.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dgrab.core.DgrabOutOfMemoryError;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.random.SplitMix64;

/**
 * The random-vector experiment of the CD-GraB paper: {@code n} workers each hold {@code m} fixed random unit
 * vectors of dimension {@code d} (Gaussian, normalised, then centred per worker); each strategy reorders them for
 * several rounds, feeding the vectors as "gradients" in its current order, and the parallel herding bound of the
 * orders is recorded after every round (round 0 is the common seeded random start).
 *
 * <p>Runs on the plain-array path of the balancing kernel, so the largest configuration of the paper
 * ({@code n m = 10^6}, {@code d = 16}) takes seconds per round. Configure with {@link #builder()}, then
 * {@link #run}; it returns the bounds and writes nothing (the {@code herding} command of dgrab-examples writes
 * them as CSV and a chart).
 */
public final class HerdingSimulation {
    private static final long VECTOR_STREAM = 0x5645_4353L;

    /** Receives progress, e.g. to draw a progress bar. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called after each recorded round of each strategy.
         *
         * @param strategy strategy name
         * @param round    round just recorded, {@code 0..rounds}
         * @param bound    parallel herding bound of that round's orders
         */
        void roundDone(String strategy, int round, double bound);
    }

    private final int dim;
    private final int workers;
    private final int perWorker;
    private final int rounds;
    private final long seed;
    private final List<OrderingConfig.Kind> kinds;
    private final List<Integer> depths;

    private HerdingSimulation(Builder b) {
        this.dim = b.dim;
        this.workers = b.workers;
        this.perWorker = b.perWorker;
        this.rounds = b.rounds;
        this.seed = b.seed;
        this.kinds = Collections.unmodifiableList(new ArrayList<>(b.kinds));
        this.depths = b.depths;
    }

    /** @return a builder with the paper's defaults for d and the four compared strategies */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Generates the vectors of one worker: Gaussian, unit L2 norm, then centred by the worker's mean.
     *
     * @param seed      seed
     * @param worker    worker id
     * @param perWorker vectors per worker
     * @param dim       dimension
     * @return row-major vectors
     */
    public static double[] vectors(long seed, int worker, int perWorker, int dim) {
        SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, VECTOR_STREAM, worker));
        double[] v = new double[perWorker * dim];
        double[] mean = new double[dim];
        for (int i = 0; i < perWorker; i++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                double g = rng.nextGaussian();
                v[i * dim + j] = g;
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < dim; j++) {
                v[i * dim + j] /= norm;
                mean[j] += v[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= perWorker;
        }
        for (int i = 0; i < perWorker; i++) {
            for (int j = 0; j < dim; j++) {
                v[i * dim + j] -= mean[j];
            }
        }
        return v;
    }

    /**
     * The configurations run, by series name: one per strategy, and for {@link OrderingConfig.Kind#CD_GRAB_RECURSIVE}
     * one per depth, named {@code cd-grab-recursive} when a single depth is run and {@code cd-grab-recursive-d<D>}
     * when several are.
     *
     * @return series name to configuration, in run order
     */
    public Map<String, OrderingConfig> configs() {
        Map<String, OrderingConfig> out = new LinkedHashMap<>();
        for (OrderingConfig.Kind kind : kinds) {
            if (kind != OrderingConfig.Kind.CD_GRAB_RECURSIVE) {
                out.put(kind.id(), OrderingConfig.builder(kind).optSeed(seed).build());
                continue;
            }
            for (int d : depths) {
                String name = depths.size() == 1 ? kind.id() : kind.id() + "-d" + d;
                out.put(name, OrderingConfig.builder(kind).optSeed(seed).optDepth(d).build());
            }
        }
        return out;
    }

    /**
     * Generates every worker's vectors, {@code n * m * d} doubles on the heap: refused before allocating when the
     * heap cannot hold them, and an {@link OutOfMemoryError} on the way is reported with the bytes needed.
     */
    private double[][] allVectors() {
        long bytes = (long) workers * perWorker * dim * Double.BYTES;
        String what = "the herding vectors (n x m x d = " + workers + " x " + perWorker + " x " + dim + " doubles)";
        DgrabOutOfMemoryError.checkFits(what, bytes, DgrabOutOfMemoryError.Memory.HEAP);
        try {
            double[][] vecs = new double[workers][];
            for (int w = 0; w < workers; w++) {
                vecs[w] = vectors(seed, w, perWorker, dim);
            }
            return vecs;
        } catch (OutOfMemoryError e) {
            throw DgrabOutOfMemoryError.of(what, bytes, DgrabOutOfMemoryError.Memory.HEAP, e);
        }
    }

    /**
     * Runs every strategy.
     *
     * @param listener progress receiver, may be null
     * @return bounds per series name ({@link #configs()}, in that order), each of length {@code rounds + 1}: element
     *         {@code r} is the bound of round {@code r}
     */
    public Map<String, double[]> run(Listener listener) {
        double[][] vecs = allVectors();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, OrderingConfig> c : configs().entrySet()) {
            double[] bounds = new double[rounds + 1];
            try (OrderingStrategy s = c.getValue().createUniform(workers, perWorker)) {
                int[][] orders = new int[workers][];
                for (int r = 0; r <= rounds; r++) {
                    for (int w = 0; w < workers; w++) {
                        orders[w] = s.order(w);
                    }
                    bounds[r] = HerdingBound.parallel(vecs, dim, orders);
                    if (listener != null) {
                        listener.roundDone(c.getKey(), r, bounds[r]);
                    }
                    if (r == rounds) {
                        break;
                    }
                    if (s.needsGradients()) {
                        for (int t = 0; t < perWorker; t++) {
                            for (int w = 0; w < workers; w++) {
                                s.observe(w, t, vecs[w], orders[w][t] * dim, dim);
                            }
                        }
                    }
                    s.endEpoch();
                }
            }
            out.put(c.getKey(), bounds);
        }
        return out;
    }

    /** @return total vectors, {@code n m} */
    public long totalVectors() {
        return (long) workers * perWorker;
    }

    /** Builder of {@link HerdingSimulation}. */
    public static final class Builder {
        private int dim = 16;
        private int workers = -1;
        private int perWorker = -1;
        private int rounds = 10;
        private long seed;
        private List<OrderingConfig.Kind> kinds = List.of(OrderingConfig.Kind.CD_GRAB,
                OrderingConfig.Kind.RANDOM_RESHUFFLING, OrderingConfig.Kind.MEAN_BALANCE, OrderingConfig.Kind.PAIR_BALANCE);
        private List<Integer> depths = List.of(OrderingConfig.DEFAULT_DEPTH);

        private Builder() {
        }

        /**
         * Number of workers n (required).
         *
         * @param n {@code >= 1}
         * @return this
         */
        public Builder setWorkers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + n);
            }
            this.workers = n;
            return this;
        }

        /**
         * Vectors per worker m (required).
         *
         * @param m {@code >= 2}
         * @return this
         */
        public Builder setPerWorker(int m) {
            if (m < 2) {
                throw new IllegalArgumentException("vectors per worker must be >= 2, got " + m);
            }
            this.perWorker = m;
            return this;
        }

        /**
         * Vector dimension. Default 16, as in the paper.
         *
         * @param d {@code >= 1}
         * @return this
         */
        public Builder optDim(int d) {
            if (d < 1) {
                throw new IllegalArgumentException("dimension must be >= 1, got " + d);
            }
            this.dim = d;
            return this;
        }

        /**
         * Reorder rounds. Default 10.
         *
         * @param r {@code >= 0}
         * @return this
         */
        public Builder optRounds(int r) {
            if (r < 0) {
                throw new IllegalArgumentException("rounds must be >= 0, got " + r);
            }
            this.rounds = r;
            return this;
        }

        /**
         * Seed of the vectors and of every strategy. Default 0.
         *
         * @param s seed
         * @return this
         */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Strategies to compare. Default CD-GraB, D-RR, ID-GraB (mean), ID-GraB (pair).
         *
         * @param k non-empty list
         * @return this
         */
        public Builder optStrategies(List<OrderingConfig.Kind> k) {
            if (k == null || k.isEmpty()) {
                throw new IllegalArgumentException("need at least one strategy");
            }
            this.kinds = List.copyOf(k);
            return this;
        }

        /**
         * Tree depths of {@link OrderingConfig.Kind#CD_GRAB_RECURSIVE}, one series each. Default
         * {@link OrderingConfig#DEFAULT_DEPTH}.
         *
         * @param d non-empty list of distinct depths in {@code [0, OrderingConfig.MAX_DEPTH]}
         * @return this
         */
        public Builder optDepths(List<Integer> d) {
            if (d == null || d.isEmpty()) {
                throw new IllegalArgumentException("need at least one depth");
            }
            for (Integer x : d) {
                if (x == null || x < 0 || x > OrderingConfig.MAX_DEPTH) {
                    throw new IllegalArgumentException("depth must be in [0, " + OrderingConfig.MAX_DEPTH + "], got " + x);
                }
            }
            if (d.stream().distinct().count() != d.size()) {
                throw new IllegalArgumentException("depths " + d + " list a depth twice");
            }
            this.depths = List.copyOf(d);
            return this;
        }

        /** @return the simulation */
        public HerdingSimulation build() {
            if (workers < 0 || perWorker < 0) {
                throw new IllegalArgumentException("workers and vectors per worker are required (setWorkers, setPerWorker)");
            }
            if ((long) workers * perWorker * dim > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("n * m * d = " + ((long) workers * perWorker * dim)
                        + " values is too large for one run");
            }
            return new HerdingSimulation(this);
        }
    }
}
