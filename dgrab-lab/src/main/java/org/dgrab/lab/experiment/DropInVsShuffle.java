package org.dgrab.lab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The README's single-worker setting the way a DL4J user runs it (issue 24), the training behind
 * {@code dgrab drop-in}: {@code net.fit} on dgrab's drop-in {@link OrderedDataSetIterator} (its default units)
 * against {@code net.fit} on a plain DL4J iterator over the training set shuffled anew before every epoch
 * ({@link DataSet#shuffle(long)}, then {@link DataSet#batchBy} and an {@link ExistingDataSetIterator}), which is how a
 * DL4J user shuffles an in-memory data set. MLP with 128 hidden units, plain SGD, both from the same initial weights
 * per seed; after every epoch (and before the first) the evaluator measures the model.
 *
 * <p>{@link #DL4J_SHUFFLE} is the DL4J baseline; every other name is an ordering of the drop-in iterator
 * ({@link OrderingConfig#of}).
 */
public final class DropInVsShuffle {
    /** The baseline's name: a plain DL4J iterator over the data shuffled before every epoch. */
    public static final String DL4J_SHUFFLE = "dl4j-shuffle";

    private DropInVsShuffle() {
    }

    /**
     * Trains one run and measures it before training and after every epoch.
     *
     * <p>Times: an epoch's seconds are those of {@code net.fit} and, for {@link #DL4J_SHUFFLE}, of shuffling the data
     * and cutting it into batches before it (a DL4J user pays for both); its ordering seconds are that shuffle for
     * {@link #DL4J_SHUFFLE}, and the seconds in dgrab's gradient listener for the drop-in
     * ({@link OrderedDataSetIterator#listenerSeconds()}). Evaluations are not timed.
     *
     * @param method    {@link #DL4J_SHUFFLE} or an ordering name for the drop-in iterator
     * @param train     training data (features {@code [N, D]}, one-hot labels)
     * @param evaluator measures the network (train loss over the whole {@code train}, test loss and metric)
     * @param batch     examples per mini-batch
     * @param lr        SGD step
     * @param epochs    epochs
     * @param seed      seed of the initial weights and of the shuffling or ordering
     * @param epochDone receives every row as soon as it is measured (epoch 0 first), e.g. for progress
     * @return the rows of epochs 0 (the initial model) to {@code epochs}; herding bound not measured (NaN)
     */
    public static List<MetricsRow> run(String method, DataSet train, Evaluator evaluator, int batch, double lr,
                                       int epochs, long seed, Consumer<MetricsRow> epochDone) {
        MultiLayerNetwork net = Models.mlp((int) train.getFeatures().size(1), 128, (int) train.getLabels().size(1),
                new Sgd(lr), seed);
        Rows rows = new Rows(method, seed, evaluator, net, epochDone);
        rows.add(0, 0, 0);
        if (DL4J_SHUFFLE.equals(method)) {
            Random rng = new Random(seed);
            for (int e = 1; e <= epochs; e++) {
                // A copy, so that every epoch shuffles the data as given (shuffle() works in place). Not timed: a
                // DL4J user shuffles the one copy in place, and pays for the shuffle only.
                DataSet epochData = train.copy();
                long t0 = System.nanoTime();
                epochData.shuffle(rng.nextLong());
                List<DataSet> batches = epochData.batchBy(batch);
                double shuffling = (System.nanoTime() - t0) / 1e9;
                net.fit(new ExistingDataSetIterator(batches));
                rows.add(e, (System.nanoTime() - t0) / 1e9, shuffling);
            }
            return rows.list;
        }
        try (OrderedDataSetIterator ordered = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(train.batchBy(batch)))
                .setModel(net)
                .optOrdering(OrderingConfig.of(method, seed))
                .build()) {
            for (int e = 1; e <= epochs; e++) {
                double inListener = ordered.listenerSeconds();
                long t0 = System.nanoTime();
                net.fit(ordered);
                rows.add(e, (System.nanoTime() - t0) / 1e9, ordered.listenerSeconds() - inListener);
            }
        }
        return rows.list;
    }

    /** The rows of one run, with the running total of its training seconds. */
    private static final class Rows {
        private final String method;
        private final long seed;
        private final Evaluator evaluator;
        private final MultiLayerNetwork net;
        private final Consumer<MetricsRow> epochDone;
        private final List<MetricsRow> list = new ArrayList<>();
        private double cumulative;

        Rows(String method, long seed, Evaluator evaluator, MultiLayerNetwork net, Consumer<MetricsRow> epochDone) {
            this.method = method;
            this.seed = seed;
            this.evaluator = evaluator;
            this.net = net;
            this.epochDone = epochDone;
        }

        void add(int epoch, double seconds, double orderingSeconds) {
            cumulative += seconds;
            Evaluator.Metrics m = evaluator.evaluate(net);
            MetricsRow row = new MetricsRow(method, seed, epoch, m.trainLoss(), m.testLoss(), m.testMetric(), seconds,
                    orderingSeconds, cumulative, Double.NaN);
            list.add(row);
            epochDone.accept(row);
        }
    }
}
