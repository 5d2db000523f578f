package org.dgrab.core;

import java.time.Duration;
import java.util.Arrays;

import org.dgrab.core.balance.SignRule;

/**
 * Immutable configuration of an ordering: which strategy, its seed and options. One configuration creates any
 * number of independent strategies ({@link #create(int...)}), each with fresh state: the "fixed config, fresh
 * stateful instance per run" split.
 *
 * <p>Build with {@link #builder(Kind)}; {@code setX} calls are required, {@code optX} calls optional with the
 * documented default. Options that a strategy would ignore are rejected rather than silently dropped.
 */
public final class OrderingConfig {

    /** The available orderings. With {@code n > 1} workers the names are those of the CD-GraB paper. */
    public enum Kind {
        /** Random reshuffling; D-RR with several workers: each worker's order is a function of (seed, epoch, worker). */
        RANDOM_RESHUFFLING("d-rr", false),
        /** One seeded random order, reused every epoch. */
        SHUFFLE_ONCE("shuffle-once", false),
        /** Units in index order, every epoch. */
        FIXED("fixed", false),
        /** GraB with the previous epoch's mean gradient; ID-GraB (mean) with several workers, each on its own. */
        MEAN_BALANCE("id-grab-mean", true),
        /** PairBalance; ID-GraB (pair) with several workers, each on its own. */
        PAIR_BALANCE("id-grab-pair", true),
        /** Coordinated PairBalance (CD-GraB): all workers' pair differences balanced against one running sum. */
        CD_GRAB("cd-grab", true),
        /**
         * Recursive CD-GraB: CD-GraB's pair balancing repeated down a binary tree of running sums within one epoch
         * (depth set with {@link Builder#optDepth}); with one worker, recursive PairBalance.
         */
        CD_GRAB_RECURSIVE("cd-grab-recursive", true);

        private final String id;
        private final boolean gradients;

        Kind(String id, boolean gradients) {
            this.id = id;
            this.gradients = gradients;
        }

        /** @return the short name used on command lines and in result files */
        public String id() {
            return id;
        }

        /** @return true if the ordering uses gradients */
        public boolean needsGradients() {
            return gradients;
        }

        /**
         * Looks a kind up by its {@link #id()} or an alias ({@code rr}, {@code random}, {@code grab},
         * {@code mean-balance}, {@code pair-balance}, {@code cdgrab}, {@code pair-recursive}).
         *
         * @param name the name, case-insensitive, surrounding blanks ignored
         * @return the kind
         * @throws IllegalArgumentException for a null, blank or unknown name, listing the valid names
         */
        public static Kind parse(String name) {
            return KindNames.parse(name);
        }
    }

    private final Kind kind;
    private final long seed;
    private final SignRule signRule;
    private final NonFinitePolicy nonFinitePolicy;
    private final int sketchDim;
    private final Duration signTimeout;
    private final int depth;

    /** Tree depth of {@link Kind#CD_GRAB_RECURSIVE} unless set; see {@link Builder#optDepth}. */
    public static final int DEFAULT_DEPTH = 6;
    /** Largest tree depth: {@code 2^11 - 1} running sums, far more levels than a shard has units to fill. */
    public static final int MAX_DEPTH = 10;

    private OrderingConfig(Builder b) {
        this.kind = b.kind;
        this.seed = b.seed;
        this.signRule = b.signRule;
        this.nonFinitePolicy = b.nonFinitePolicy;
        this.sketchDim = b.sketchDim;
        this.signTimeout = b.signTimeout;
        this.depth = b.depth;
    }

    /**
     * Starts a builder.
     *
     * @param kind the ordering, required
     * @return a builder
     */
    public static Builder builder(Kind kind) {
        return new Builder(kind);
    }

    /**
     * Shorthand for {@code builder(Kind.parse(name)).optSeed(seed).build()}.
     *
     * @param name ordering name, see {@link Kind#parse}
     * @param seed seed
     * @return the configuration
     * @throws IllegalArgumentException for a null, blank or unknown name
     */
    public static OrderingConfig of(String name, long seed) {
        return builder(Kind.parse(name)).optSeed(seed).build();
    }

    /**
     * Creates a strategy with fresh state for the given shard sizes. This is the only way to build one: the
     * orderings are package-private classes of this package, one per {@link Kind}.
     *
     * @param unitsPerWorker number of local units of each worker; one entry per worker, each {@code >= 1}
     * @return a new strategy at epoch 0
     * @throws IllegalArgumentException for no workers or an empty shard (naming the worker)
     */
    public OrderingStrategy create(int... unitsPerWorker) {
        switch (kind) {
            case RANDOM_RESHUFFLING:
                return new RandomReshuffling(this, unitsPerWorker);
            case SHUFFLE_ONCE:
                return new ShuffleOnce(this, unitsPerWorker);
            case FIXED:
                return new FixedOrder(this, unitsPerWorker);
            case MEAN_BALANCE:
                return new MeanBalance(this, unitsPerWorker);
            case PAIR_BALANCE:
                return new PairBalance(this, unitsPerWorker);
            case CD_GRAB:
                return new CoordinatedPairBalance(this, unitsPerWorker);
            case CD_GRAB_RECURSIVE:
                return new RecursivePairBalance(this, unitsPerWorker);
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * Creates a strategy for {@code workers} workers that each own {@code unitsPerWorker} units.
     *
     * @param workers        number of workers, {@code >= 1}
     * @param unitsPerWorker units per worker, {@code >= 1}
     * @return a new strategy at epoch 0
     */
    public OrderingStrategy createUniform(int workers, int unitsPerWorker) {
        if (workers < 1) {
            throw new IllegalArgumentException("number of workers must be >= 1, got " + workers);
        }
        int[] m = new int[workers];
        Arrays.fill(m, unitsPerWorker);
        return create(m);
    }

    /** @return the ordering */
    public Kind kind() {
        return kind;
    }

    /** @return the seed of every random choice (initial orders, shuffles, probabilistic signs, sketches) */
    public long seed() {
        return seed;
    }

    /** @return the sign rule of gradient orderings */
    public SignRule signRule() {
        return signRule;
    }

    /** @return what gradient orderings do with NaN or infinite gradients */
    public NonFinitePolicy nonFinitePolicy() {
        return nonFinitePolicy;
    }

    /** @return the sketch dimension k, or 0 if gradients are balanced at full dimension */
    public int sketchDim() {
        return sketchDim;
    }

    /**
     * @return the tree depth of {@link Kind#CD_GRAB_RECURSIVE} ({@link #DEFAULT_DEPTH} unless set); 0 for every other
     *         kind
     */
    public int depth() {
        return depth;
    }

    /** @return how long a CD-GraB worker waits for its signs before failing */
    public Duration signTimeout() {
        return signTimeout;
    }

    /**
     * @param newSeed the seed of the copy
     * @return a configuration equal to this one with another seed
     */
    public OrderingConfig withSeed(long newSeed) {
        Builder b = toBuilder();
        b.seed = newSeed;
        return b.build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(kind);
        b.seed = seed;
        b.signRule = signRule;
        b.nonFinitePolicy = nonFinitePolicy;
        b.sketchDim = sketchDim;
        b.signTimeout = signTimeout;
        b.depth = depth;
        return b;
    }

    /**
     * A one-line description that names every option that affects orders, for messages and logs. Checkpoints do
     * not store or compare it: they store each option as a field of its own.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(kind.id()).append("(seed=").append(seed);
        if (kind.needsGradients()) {
            s.append(", signs=").append(signRule).append(", nonFinite=").append(nonFinitePolicy);
            if (sketchDim > 0) {
                s.append(", sketch=").append(sketchDim);
            }
            if (kind == Kind.CD_GRAB_RECURSIVE) {
                s.append(", depth=").append(depth);
            }
        }
        return s.append(')').toString();
    }

    /** Equal when every option is equal, the sign timeout included. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OrderingConfig)) {
            return false;
        }
        OrderingConfig c = (OrderingConfig) o;
        return kind == c.kind && seed == c.seed && signRule.equals(c.signRule) && nonFinitePolicy == c.nonFinitePolicy
                && sketchDim == c.sketchDim && signTimeout.equals(c.signTimeout) && depth == c.depth;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, seed, signRule, nonFinitePolicy, sketchDim, signTimeout, depth);
    }

    /** Builder of {@link OrderingConfig}. */
    public static final class Builder {
        private final Kind kind;
        private long seed;
        private SignRule signRule = SignRule.deterministic();
        private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.FAIL;
        private int sketchDim;
        private Duration signTimeout = Duration.ofMinutes(10);
        private int depth;

        private Builder(Kind kind) {
            if (kind == null) {
                throw new IllegalArgumentException("ordering kind is null");
            }
            this.kind = kind;
            this.depth = kind == Kind.CD_GRAB_RECURSIVE ? DEFAULT_DEPTH : 0;
        }

        /**
         * Seed of every random choice. Default 0.
         *
         * @param seed seed
         * @return this
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sign rule of gradient orderings. Default {@link SignRule#deterministic()}.
         *
         * @param rule rule
         * @return this
         */
        public Builder optSignRule(SignRule rule) {
            if (rule == null) {
                throw new IllegalArgumentException("sign rule is null");
            }
            requireGradients("a sign rule");
            this.signRule = rule;
            return this;
        }

        /**
         * Policy for NaN or infinite gradients. Default {@link NonFinitePolicy#FAIL}.
         *
         * @param policy policy
         * @return this
         */
        public Builder optNonFinitePolicy(NonFinitePolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("non-finite policy is null");
            }
            requireGradients("a non-finite policy");
            this.nonFinitePolicy = policy;
            return this;
        }

        /**
         * Balance seeded count-sketches of dimension {@code k} instead of full gradients; with CD-GraB this is also
         * what workers send. Default 0: no sketch.
         *
         * @param k sketch dimension, {@code >= 1} (it must not exceed the gradient dimension, checked on first use)
         * @return this
         */
        public Builder optSketchDim(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("sketch dimension must be >= 1, got " + k);
            }
            requireGradients("a sketch");
            this.sketchDim = k;
            return this;
        }

        /**
         * How long a CD-GraB worker waits at the end of an epoch for the other workers' reports. Default 10 minutes.
         *
         * @param timeout positive duration
         * @return this
         */
        public Builder optSignTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("sign timeout must be positive, got " + timeout);
            }
            if (kind != Kind.CD_GRAB) {
                throw new IllegalArgumentException("a sign timeout only applies to cd-grab, not " + kind.id());
            }
            this.signTimeout = timeout;
            return this;
        }

        /**
         * Depth {@code D} of the tree of {@link Kind#CD_GRAB_RECURSIVE}: each unit is balanced at {@code D + 1}
         * levels per epoch, against {@code 2^(D+1) - 1} running sums in all; depth 0 is exactly CD-GraB. Default
         * {@link #DEFAULT_DEPTH}.
         *
         * @param d depth in {@code [0, MAX_DEPTH]}
         * @return this
         */
        public Builder optDepth(int d) {
            if (kind != Kind.CD_GRAB_RECURSIVE) {
                throw new IllegalArgumentException("a tree depth only applies to " + Kind.CD_GRAB_RECURSIVE.id()
                        + ", not " + kind.id());
            }
            if (d < 0 || d > MAX_DEPTH) {
                throw new IllegalArgumentException("tree depth must be in [0, " + MAX_DEPTH + "], got " + d);
            }
            this.depth = d;
            return this;
        }

        private void requireGradients(String what) {
            if (!kind.needsGradients()) {
                throw new IllegalArgumentException(what + " has no effect on " + kind.id()
                        + ", which does not use gradients");
            }
        }

        /** @return the configuration */
        public OrderingConfig build() {
            return new OrderingConfig(this);
        }
    }
}
