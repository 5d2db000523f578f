package org.dgrab.examples.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.dl4j.trainer.EpochStats;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains one network per (ordering, seed) on the same data with {@link DataParallelTrainer} and records
 * {@link MetricsRow}s after every epoch. For a given seed every ordering starts from the same initial weights
 * (the model factory is seeded) and the same shards, so differences come from the orders alone.
 */
public final class ClassificationExperiment {

    /** Receives progress: called after each epoch of each run. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param row       metrics of the epoch just finished
         * @param doneRuns  epochs finished so far, over all runs
         * @param totalRuns epochs in the whole experiment
         */
        void epochDone(MetricsRow row, int doneRuns, int totalRuns);
    }

    private final DataSet train;
    private final DataSet test;
    private final LongFunction<MultiLayerNetwork> modelFactory;
    private final List<String> orders;
    private final List<Long> seeds;
    private final int workers;
    private final int epochs;
    private final int batch;
    private final Granularity granularity;
    private final int microbatch;

    /**
     * @param train        training data
     * @param test         test data
     * @param modelFactory builds the initial network for a seed (must be deterministic in the seed)
     * @param orders       ordering names
     * @param seeds        seeds
     * @param workers      workers n
     * @param epochs       epochs per run
     * @param batch        mini-batch size per worker
     * @param granularity  unit granularity
     * @param microbatch   micro-batch for example-exact (ignored otherwise; 1 for single examples)
     */
    public ClassificationExperiment(DataSet train, DataSet test, LongFunction<MultiLayerNetwork> modelFactory,
                                    List<String> orders, List<Long> seeds, int workers, int epochs, int batch,
                                    Granularity granularity, int microbatch) {
        this.train = train;
        this.test = test;
        this.modelFactory = modelFactory;
        this.orders = List.copyOf(orders);
        this.seeds = List.copyOf(seeds);
        this.workers = workers;
        this.epochs = epochs;
        this.batch = batch;
        this.granularity = granularity;
        this.microbatch = microbatch;
        for (String o : orders) {
            OrderingConfig.Kind.parse(o);
        }
    }

    /**
     * Runs every (ordering, seed) pair.
     *
     * @param listener progress receiver, may be null
     * @return metrics of every epoch of every run (with an epoch-0 row of the untrained model per run)
     */
    public List<MetricsRow> run(Listener listener) {
        ExampleStore store = ExampleStore.of(List.of(train));
        List<MetricsRow> rows = new ArrayList<>();
        int total = orders.size() * seeds.size() * epochs;
        int done = 0;
        for (long seed : seeds) {
            for (String order : orders) {
                OrderingConfig.Kind kind = OrderingConfig.Kind.parse(order);
                MultiLayerNetwork net = modelFactory.apply(seed);
                rows.add(evaluate(kind.id(), seed, 0, net, 0, 0));
                DataParallelTrainer.Builder b = DataParallelTrainer.builder().setModel(net).setData(store)
                        .setOrdering(OrderingConfig.builder(kind).optSeed(seed).build()).optWorkers(workers)
                        .optBatchSize(batch).optGranularity(granularity);
                if (granularity == Granularity.EXAMPLE_EXACT) {
                    b.optMicrobatch(microbatch);
                }
                try (DataParallelTrainer t = b.build()) {
                    for (int e = 1; e <= epochs; e++) {
                        EpochStats s = t.fitEpoch();
                        MetricsRow row = evaluate(kind.id(), seed, e, net, s.seconds(), s.orderingSeconds());
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

    private MetricsRow evaluate(String order, long seed, int epoch, MultiLayerNetwork net, double seconds, double ordering) {
        return new MetricsRow(order, seed, epoch, Evaluation.loss(net, train), Evaluation.loss(net, test),
                Evaluation.accuracy(net, test), seconds, ordering);
    }
}
