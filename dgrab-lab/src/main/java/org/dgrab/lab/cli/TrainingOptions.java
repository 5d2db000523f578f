package org.dgrab.lab.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dgrab.dl4j.Granularity;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The training options shared by the model-training commands ({@code cifar10}, {@code fashion-mnist},
 * {@code demo}, {@code lm}, {@code logreg}): workers, epochs, batch size, optimiser and learning rate, seeds,
 * gradient granularity, data limits and the output directory. Use as a picocli mixin together with
 * {@link OrderOptions}; {@link TrainingRun} runs with both.
 *
 * <p>The options carry no defaults of their own: every command names a {@link Defaults} subclass as its
 * {@code defaultValueProvider}, so that the same option can default differently per command (the help shows each
 * command's defaults). Values are checked by {@link TrainingRun}, which knows the valid ranges. The image
 * commands' {@code --model} is their own mixin ({@link ModelOption}); {@link ModelKind} and its
 * converter stay here for them.
 */
public final class TrainingOptions {

    /** Largest accepted {@code --workers}. */
    public static final int MAX_WORKERS = 1024;
    /** Largest accepted {@code --epochs}. */
    public static final int MAX_EPOCHS = 100_000;
    /** Largest accepted {@code --batch}. */
    public static final int MAX_BATCH = 65_536;
    /** Largest accepted {@code --lr}. */
    public static final double MAX_LR = 10;
    /** Largest number of {@code --seeds}. */
    public static final int MAX_SEEDS = 1000;
    /** Largest accepted {@code --sketch}. */
    public static final int MAX_SKETCH = 1 << 24;
    /** Largest accepted {@code --threads}. */
    public static final int MAX_THREADS = 1024;

    @Option(names = "--workers", paramLabel = "N", order = 10,
            description = "Data-parallel workers n; each trains on its own shard (default: ${DEFAULT-VALUE}; "
                    + "valid: 1.." + MAX_WORKERS + ", at most the number of training examples).")
    private Integer workers;

    @Option(names = "--epochs", paramLabel = "E", order = 11,
            description = "Epochs per run (default: ${DEFAULT-VALUE}; valid: 1.." + MAX_EPOCHS + ").")
    private Integer epochs;

    @Option(names = "--batch", paramLabel = "B", order = 12,
            description = "Mini-batch size per worker; one step uses n x B examples (default: ${DEFAULT-VALUE}; "
                    + "valid: 1.." + MAX_BATCH + ").")
    private Integer batch;

    @Option(names = "--lr", paramLabel = "LR", order = 13,
            description = "Learning rate (default: ${DEFAULT-VALUE}; valid: > 0 and <= " + (int) MAX_LR + ").")
    private Double lr;

    @Option(names = "--optimizer", paramLabel = "OPT", order = 14, converter = OptimizerConverter.class,
            description = "sgd, nesterovs (momentum 0.9) or adam (default: ${DEFAULT-VALUE}).")
    private Optimizer optimizer;

    @Option(names = {"--seeds", "--seed"}, paramLabel = "S", split = ",", order = 15,
            description = "Seeds, comma-separated: each ordering runs once per seed; a seed fixes the initial "
                    + "weights, the shards and the orderings' randomness (default: ${DEFAULT-VALUE}; at most "
                    + MAX_SEEDS + ", each once).")
    private List<Long> seeds;

    @Option(names = "--granularity", paramLabel = "G", order = 16, converter = GranularityConverter.class,
            description = {"What one ordered unit is (default: ${DEFAULT-VALUE}):",
                    "  batch: a fixed mini-batch, its gradient the model's own (no extra cost);",
                    "  example-exact: an example, exact per-example gradient (one backward pass each);",
                    "  example-last-layer: an example, exact gradient of the output layer (no extra passes; needs a "
                            + "dense OutputLayer: not for lm)."})
    private Granularity granularity;

    // picocli formats descriptions with String.format: a literal percent sign is written %%.
    @Option(names = "--sketch", paramLabel = "K", order = 17,
            description = "Orderings that balance gradients (cd-grab, cd-grab-recursive, id-grab-*) balance count-"
                    + "sketches of K values of each unit's gradient instead of the whole gradient (what a CD-GraB "
                    + "worker sends to the coordinator); 0 = whole gradients (spark: -1 = the largest K whose reports "
                    + "are at most 1 %% of the gradient's bytes). Gradient-free orderings (d-rr, shuffle-once, fixed) "
                    + "are unaffected (default: ${DEFAULT-VALUE}; valid: 0.." + MAX_SKETCH
                    + ", at most the length of one unit's gradient).")
    private Integer sketch;

    @Option(names = "--limit-train", paramLabel = "N", order = 18,
            description = "Use only the first N training examples; 0 = all (default: ${DEFAULT-VALUE}).")
    private Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", order = 19,
            description = "Evaluate on only the first N test examples; 0 = all (default: ${DEFAULT-VALUE}).")
    private Integer limitTest;

    @Option(names = "--threads", paramLabel = "T", order = 20,
            description = "Threads ND4J and BLAS may use for one operation; 0 = ND4J's default (one per core). "
                    + "The networks here are small, and one thread per operation is usually fastest "
                    + "(default: ${DEFAULT-VALUE}; valid: 0.." + MAX_THREADS + ").")
    private Integer threads;

    @Option(names = "--herding-bound", order = 21,
            description = {"Also measure every epoch's order quality: the parallel herding bound (as in dgrab herding) "
                    + "of the epoch's orders on that epoch's real unit gradients, written to metrics.csv's "
                    + "herding_bound column (empty without this option). Off by default: it keeps one epoch of unit "
                    + "gradients in memory and makes gradient-free orderings (d-rr, ...) compute their gradients "
                    + "too, which their epoch times then include. In-memory training only (not spark, not cifar10 "
                    + "--images)."})
    private boolean herdingBound;

    @Option(names = "--out", paramLabel = "DIR", order = 30,
            description = "Directory for metrics.csv and metrics.png, created if missing; existing result files "
                    + "are replaced (default: runs/<command>).")
    private Path out;

    @Option(names = "--no-chart", order = 31, description = "Skip metrics.png (e.g. on a JVM without fonts).")
    private boolean noChart;

    /** Used by picocli. */
    public TrainingOptions() {
    }

    /** @return {@code --workers} */
    public int workers() {
        return required(workers, "--workers");
    }

    /** @return {@code --epochs} */
    public int epochs() {
        return required(epochs, "--epochs");
    }

    /** @return {@code --batch} */
    public int batch() {
        return required(batch, "--batch");
    }

    /** @return {@code --lr} */
    public double lr() {
        return required(lr, "--lr");
    }

    /** @return {@code --optimizer} */
    public Optimizer optimizer() {
        return required(optimizer, "--optimizer");
    }

    /** @return {@code --seeds}, as given */
    public List<Long> seeds() {
        return List.copyOf(required(seeds, "--seeds"));
    }

    /** @return {@code --granularity} */
    public Granularity granularity() {
        return required(granularity, "--granularity");
    }

    /** @return {@code --sketch}: the sketch dimension, 0 for whole gradients */
    public int sketch() {
        return required(sketch, "--sketch");
    }

    /** @return {@code --limit-train}, 0 for all */
    public int limitTrain() {
        return required(limitTrain, "--limit-train");
    }

    /** @return {@code --limit-test}, 0 for all */
    public int limitTest() {
        return required(limitTest, "--limit-test");
    }

    /** @return {@code --threads}, 0 for ND4J's default */
    public int threads() {
        return required(threads, "--threads");
    }

    /**
     * @param command the command's name
     * @return {@code --out}, or {@code runs/<command>}
     */
    public Path outDir(String command) {
        return out != null ? out : Paths.get("runs", command);
    }

    /** @return true if every epoch's herding bound is to be measured ({@code --herding-bound}) */
    public boolean herdingBound() {
        return herdingBound;
    }

    /** @return true if no chart should be drawn */
    public boolean noChart() {
        return noChart;
    }

    private static <T> T required(T value, String option) {
        if (value == null) {
            // A programming error: the command's Defaults must give every training option a default.
            throw new IllegalStateException("no value and no default for " + option
                    + "; the command's defaultValueProvider must define it");
        }
        return value;
    }

    /** The optimiser, by its command-line name. */
    public enum Optimizer {
        /** Plain SGD. */
        SGD("sgd"),
        /** SGD with Nesterov momentum 0.9. */
        NESTEROVS("nesterovs"),
        /** Adam with DL4J's default betas. */
        ADAM("adam");

        /** Momentum of {@link #NESTEROVS}. */
        public static final double MOMENTUM = 0.9;

        private final String id;

        Optimizer(String id) {
            this.id = id;
        }

        /** @return the command-line name */
        public String id() {
            return id;
        }

        /**
         * A fresh DL4J updater configuration.
         *
         * @param lr learning rate
         * @return the updater
         */
        public IUpdater updater(double lr) {
            switch (this) {
                case SGD:
                    return new Sgd(lr);
                case NESTEROVS:
                    return new Nesterovs(lr, MOMENTUM);
                case ADAM:
                    return new Adam(lr);
                default:
                    throw new AssertionError(this);
            }
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** The network of the image tasks ({@code --model}, {@link ModelOption}). */
    public enum ModelKind {
        /** LeNet-5, as in the CD-GraB paper's image task. */
        LENET("lenet"),
        /** A perceptron with one hidden layer. */
        MLP("mlp");

        /** Hidden units of {@link #MLP}. */
        public static final int MLP_HIDDEN = 128;

        private final String id;

        ModelKind(String id) {
            this.id = id;
        }

        /** @return the command-line name */
        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** Parses {@code --optimizer}, listing the valid names on error. */
    public static final class OptimizerConverter implements ITypeConverter<Optimizer> {
        /** Used by picocli. */
        public OptimizerConverter() {
        }

        @Override
        public Optimizer convert(String value) {
            return parse(Optimizer.values(), Optimizer::id, value);
        }
    }

    /** Parses {@code --model}, listing the valid names on error. */
    public static final class ModelConverter implements ITypeConverter<ModelKind> {
        /** Used by picocli. */
        public ModelConverter() {
        }

        @Override
        public ModelKind convert(String value) {
            return parse(ModelKind.values(), ModelKind::id, value);
        }
    }

    /** Parses {@code --granularity}, listing the valid names on error. */
    public static final class GranularityConverter implements ITypeConverter<Granularity> {
        /** Used by picocli. */
        public GranularityConverter() {
        }

        @Override
        public Granularity convert(String value) {
            return parse(Granularity.values(), Granularity::id, value);
        }
    }

    private static <T> T parse(T[] values, java.util.function.Function<T, String> id, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        StringBuilder valid = new StringBuilder();
        for (T t : values) {
            if (id.apply(t).equals(v)) {
                return t;
            }
            valid.append(valid.length() == 0 ? "" : ", ").append(id.apply(t));
        }
        throw new TypeConversionException("'" + value + "' is not one of " + valid);
    }

    /**
     * Default values of one command, by option name (longest name, e.g. {@code --seeds}). Subclasses pass their
     * map to the constructor and have a public no-argument constructor, as picocli instantiates them.
     */
    public abstract static class Defaults implements IDefaultValueProvider {
        private final Map<String, String> values = new HashMap<>();

        /**
         * @param pairs option names and their default values, alternating ({@code "--workers", "4", ...}); options
         *              not listed keep their annotation's default
         */
        protected Defaults(String... pairs) {
            if (pairs.length % 2 != 0) {
                throw new IllegalArgumentException("defaults come in name/value pairs");
            }
            for (int i = 0; i < pairs.length; i += 2) {
                values.put(pairs[i], pairs[i + 1]);
            }
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            return arg.isOption() ? values.get(((OptionSpec) arg).longestName()) : null;
        }
    }
}
