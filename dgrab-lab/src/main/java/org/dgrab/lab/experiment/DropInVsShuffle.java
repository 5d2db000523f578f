package org.dgrab.lab.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.models.Models;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The README's single-worker setting the way a DL4J user runs it (issue 24): {@code net.fit} on dgrab's drop-in
 * {@link OrderedDataSetIterator} (its default units) against {@code net.fit} on a plain DL4J iterator over the
 * training set shuffled anew before every epoch ({@link DataSet#shuffle(long)}, then {@link DataSet#batchBy} and an
 * {@link ExistingDataSetIterator}), which is how a DL4J user shuffles an in-memory data set. MLP 784-128-10, plain
 * SGD, both from the same initial weights per seed; after every epoch the mean train loss over all examples
 * ({@link ClassificationEvaluator#loss}).
 *
 * <p>Run with the lab's classpath: {@code java -cp ... org.dgrab.lab.experiment.DropInVsShuffle DATA_DIR LIMIT
 * SEEDS EPOCHS [BATCH [LR [ORDERS]]]}, e.g. {@code /usr/share/datasets/fashion-mnist 10000 1,2,3,4,5 5 32 0.05
 * dl4j-shuffle,cd-grab}; prints a CSV {@code method,seed,epoch,train_loss} on stdout. {@code dl4j-shuffle} is the
 * DL4J baseline; every other name is an ordering of the drop-in iterator ({@link OrderingConfig#of}).
 */
public final class DropInVsShuffle {
    /** The baseline's name: a plain DL4J iterator over the data shuffled before every epoch. */
    public static final String DL4J_SHUFFLE = "dl4j-shuffle";

    private DropInVsShuffle() {
    }

    /**
     * Trains one run and returns the train loss after every epoch.
     *
     * @param method {@link #DL4J_SHUFFLE} or an ordering name for the drop-in iterator
     * @param train  training data (features {@code [N, 784]}, one-hot labels of 10 classes)
     * @param batch  examples per mini-batch
     * @param lr     SGD step
     * @param epochs epochs
     * @param seed   seed of the initial weights and of the shuffling or ordering
     * @return the mean train loss after each epoch
     */
    public static double[] run(String method, DataSet train, int batch, double lr, int epochs, long seed) {
        MultiLayerNetwork net = Models.mlp((int) train.getFeatures().size(1), 128, (int) train.getLabels().size(1),
                new Sgd(lr), seed);
        double[] losses = new double[epochs];
        if (DL4J_SHUFFLE.equals(method)) {
            Random rng = new Random(seed);
            for (int e = 0; e < epochs; e++) {
                DataSet epochData = train.copy();
                epochData.shuffle(rng.nextLong());
                net.fit(new ExistingDataSetIterator(epochData.batchBy(batch)));
                losses[e] = ClassificationEvaluator.loss(net, train);
            }
            return losses;
        }
        try (OrderedDataSetIterator ordered = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(train.batchBy(batch)))
                .setModel(net)
                .optOrdering(OrderingConfig.of(method, seed))
                .build()) {
            for (int e = 0; e < epochs; e++) {
                net.fit(ordered);
                losses[e] = ClassificationEvaluator.loss(net, train);
            }
        }
        return losses;
    }

    /**
     * Command line: {@code DATA_DIR LIMIT SEEDS EPOCHS [BATCH [LR [ORDERS]]]}; DATA_DIR {@code sample} for the
     * bundled sample.
     *
     * @param args arguments
     * @throws IOException if the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: DropInVsShuffle DATA_DIR|sample LIMIT SEEDS EPOCHS [BATCH [LR [ORDERS]]]");
            System.exit(2);
        }
        int limit = Integer.parseInt(args[1]);
        DataSet train = "sample".equals(args[0]) ? FashionMnist.loadSample(true, limit)
                : FashionMnist.load(Path.of(args[0]), true, limit);
        List<Long> seeds = new ArrayList<>();
        for (String s : args[2].split(",")) {
            seeds.add(Long.parseLong(s.trim()));
        }
        int epochs = Integer.parseInt(args[3]);
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        double lr = args.length > 5 ? Double.parseDouble(args[5]) : 0.05;
        String[] methods = (args.length > 6 ? args[6] : DL4J_SHUFFLE + ",cd-grab").split(",");
        System.out.println("method,seed,epoch,train_loss");
        for (long seed : seeds) {
            // Methods take turns per seed, so that a change in machine load falls on both.
            for (String m : methods) {
                double[] losses = run(m.trim(), train, batch, lr, epochs, seed);
                for (int e = 0; e < epochs; e++) {
                    System.out.printf(Locale.ROOT, "%s,%d,%d,%.6f%n", m.trim(), seed, e + 1, losses[e]);
                }
                System.out.flush();
            }
        }
    }
}
