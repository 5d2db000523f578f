package org.dgrab.lab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains one network per (ordering, seed) on the same data, with {@link DataParallelTrainer} on in-memory data or
 * another {@link RunTrainer} (e.g. {@code net.fit} on the drop-in iterator over data read on demand), and records
 * {@link MetricsRow}s after every epoch. For a given seed every ordering starts from the same initial weights
 * (the model factory is seeded) and the same shards, so differences come from the orders alone.
 *
 * <p>The task only enters through the {@link Evaluator} (classification: loss and accuracy; language model:
 * per-token cross-entropy and perplexity), so every example command shares this one run loop.
 */
public final class TrainingExperiment {

    /** Receives progress: called after each epoch of each run, and optionally after each step. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param row       metrics of the epoch just finished
         * @param doneRuns  epochs finished so far, over all runs
         * @param totalRuns epochs in the whole experiment
         */
        void epochDone(MetricsRow row, int doneRuns, int totalRuns);

        /**
         * Called after every synchronous training step, and once more before the evaluation that ends an epoch
         * (then {@code step == steps}). Does nothing by default.
         *
         * @param order ordering name
         * @param seed  seed of the run
         * @param epoch epoch being trained, 1-based
         * @param step  steps done in this epoch
         * @param steps steps per epoch
         */
        default void stepDone(String order, long seed, int epoch, int step, int steps) {
        }

        /**
         * Called once per run with the untrained model's metrics (epoch 0), before its first epoch. Does nothing by
         * default.
         *
         * @param row metrics of the initial model
         */
        default void initialEvaluated(MetricsRow row) {
        }
    }

    private final RunTrainer.Factory trainers;
    private final Evaluator evaluator;
    private final LongFunction<MultiLayerNetwork> modelFactory;
    private final List<String> orders;
    private final List<Long> seeds;
    private final int epochs;
    private int sketchDim;

    /**
     * An experiment on in-memory data with {@link DataParallelTrainer} ({@link RunTrainer#dataParallel}).
     *
     * @param train        training data (each example one ordered unit at example granularity)
     * @param evaluator    measures the network after every epoch (and before the first)
     * @param modelFactory builds the initial network for a seed (must be deterministic in the seed)
     * @param orders       ordering names
     * @param seeds        seeds
     * @param workers      workers n
     * @param epochs       epochs per run
     * @param batch        mini-batch size per worker
     * @param granularity  unit granularity
     * @param microbatch   micro-batch for example-exact (ignored otherwise; 1 for single examples)
     */
    public TrainingExperiment(DataSet train, Evaluator evaluator, LongFunction<MultiLayerNetwork> modelFactory,
                              List<String> orders, List<Long> seeds, int workers, int epochs, int batch,
                              Granularity granularity, int microbatch) {
        this(RunTrainer.dataParallel(train, workers, batch, granularity, microbatch), evaluator, modelFactory,
                orders, seeds, epochs);
    }

    /**
     * An experiment whose runs train with any {@link RunTrainer}, e.g. {@link OrderedIteratorTrainer} on data read
     * on demand.
     *
     * @param trainers     opens the training of each run
     * @param evaluator    measures the network after every epoch (and before the first)
     * @param modelFactory builds the initial network for a seed (must be deterministic in the seed)
     * @param orders       ordering names
     * @param seeds        seeds
     * @param epochs       epochs per run
     */
    public TrainingExperiment(RunTrainer.Factory trainers, Evaluator evaluator,
                              LongFunction<MultiLayerNetwork> modelFactory, List<String> orders, List<Long> seeds,
                              int epochs) {
        this.trainers = trainers;
        this.evaluator = evaluator;
        this.modelFactory = modelFactory;
        this.orders = List.copyOf(orders);
        this.seeds = List.copyOf(seeds);
        this.epochs = epochs;
        for (String o : orders) {
            OrderingConfig.Kind.parse(o);
        }
    }

    /**
     * Makes the orderings that balance gradients balance count-sketches of {@code k} values instead
     * ({@link OrderingConfig.Builder#optSketchDim}); gradient-free orderings are built as before. Call before
     * {@link #run}.
     *
     * @param k sketch dimension, 0 for whole gradients (the default)
     * @return this experiment
     * @throws IllegalArgumentException if {@code k} is negative
     */
    public TrainingExperiment optSketchDim(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("sketch dimension must be >= 0 (0 = whole gradients), got " + k);
        }
        this.sketchDim = k;
        return this;
    }

    /**
     * Runs every (ordering, seed) pair.
     *
     * @param listener progress receiver, may be null
     * @return metrics of every epoch of every run (with an epoch-0 row of the untrained model per run)
     */
    public List<MetricsRow> run(Listener listener) {
        List<MetricsRow> rows = new ArrayList<>();
        int total = orders.size() * seeds.size() * epochs;
        int done = 0;
        for (long seed : seeds) {
            // One initial network per seed, copied for every ordering: building it again from the seed does not
            // always give the same weights (the first network of a JVM can differ), and the comparison needs them equal.
            MultiLayerNetwork initial = modelFactory.apply(seed);
            for (String order : orders) {
                OrderingConfig.Kind kind = OrderingConfig.Kind.parse(order);
                MultiLayerNetwork net = initial.clone();
                MetricsRow initialRow = evaluate(kind.id(), seed, 0, net, 0, 0, 0, Double.NaN);
                rows.add(initialRow);
                if (listener != null) {
                    listener.initialEvaluated(initialRow);
                }
                OrderingConfig.Builder ordering = OrderingConfig.builder(kind).optSeed(seed);
                if (sketchDim > 0 && kind.needsGradients()) {
                    ordering.optSketchDim(sketchDim);
                }
                try (RunTrainer t = trainers.open(net, ordering.build(), seed)) {
                    int steps = t.stepsPerEpoch();
                    double cumulative = 0;
                    for (int e = 1; e <= epochs; e++) {
                        int epoch = e;
                        RunTrainer.Epoch s = t.trainEpoch(step -> {
                            if (listener != null) {
                                listener.stepDone(kind.id(), seed, epoch, step, steps);
                            }
                        });
                        cumulative += s.seconds();
                        MetricsRow row = evaluate(kind.id(), seed, e, net, s.seconds(), s.orderingSeconds(),
                                cumulative, s.herdingBound());
                        rows.add(row);
                        done++;
                        if (listener != null) {
                            listener.epochDone(row, done, total);
                        }
                    }
                }
            }
        }
        return rows;
    }

    private MetricsRow evaluate(String order, long seed, int epoch, MultiLayerNetwork net, double seconds,
                                double ordering, double cumulative, double herding) {
        Evaluator.Metrics m = evaluator.evaluate(net);
        return new MetricsRow(order, seed, epoch, m.trainLoss(), m.testLoss(), m.testMetric(), seconds, ordering,
                cumulative, herding);
    }
}
