package org.dgrab.examples.quickstart;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's {@code ParallelWrapper} with 4 workers, each one a CD-GraB worker: every worker trains on its own shard,
 * in an order the coordinator balances across all four.
 */
public final class ParallelWrapperCdGrab {
    private ParallelWrapperCdGrab() {
    }

    /**
     * What the example ends with.
     *
     * @param accuracy    test accuracy after training
     * @param firstOrders each worker's order in epoch 0
     * @param lastOrders  each worker's order in the epoch after the last one trained
     */
    public record Result(double accuracy, int[][] firstOrders, int[][] lastOrders) {
    }

    /**
     * Runs the example on the bundled Fashion-MNIST sample.
     *
     * @param args none
     * @throws Exception if the sample cannot be read or ParallelWrapper fails
     */
    public static void main(String[] args) throws Exception {
        DataSet train = FashionMnistSample.load(true, 0);
        DataSet test = FashionMnistSample.load(false, 0);
        Result r = run(new ListDataSetIterator<>(train.asList(), 16), new ListDataSetIterator<>(test.asList(), 256),
                784, 10, 4, 5);
        System.out.printf("ParallelWrapper, 4 CD-GraB workers: test accuracy %.4f%n", r.accuracy());
    }

    /**
     * Trains an MLP with ParallelWrapper on CD-GraB-ordered data.
     *
     * @param train    training batches (each worker's batches hold this many examples)
     * @param test     test batches
     * @param features inputs per example
     * @param classes  classes
     * @param workers  ParallelWrapper's (and CD-GraB's) workers
     * @param epochs   epochs
     * @return the result
     * @throws Exception if ParallelWrapper fails (its {@code close} declares Exception)
     */
    public static Result run(DataSetIterator train, DataSetIterator test, int features, int classes, int workers,
                             int epochs) throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .weightInit(WeightInit.XAVIER)
                .updater(new Sgd(0.05))
                .list()
                .layer(new DenseLayer.Builder().nIn(features).nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(128).nOut(classes).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        // Build the iterator BEFORE the wrapper: ParallelWrapper.Builder hands the model's listeners (dgrab's
        // gradient listener among them) to its workers.
        OrderedDataSetIterator ordered = OrderedDataSetIterator.builder()
                .setSource(train)
                .setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 42))
                .optParallelWrapper(workers)
                .build();
        int[][] first = orders(ordered, workers);
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net)
                .workers(workers)
                .averagingFrequency(1)
                .prefetchBuffer(0)
                .build()) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                wrapper.fit(ordered);           // one epoch; batch j goes to worker j mod n
            }
        }
        Evaluation eval = net.evaluate(test);
        return new Result(eval.accuracy(), first, orders(ordered, workers));
    }

    private static int[][] orders(OrderedDataSetIterator ordered, int workers) {
        int[][] o = new int[workers][];
        for (int w = 0; w < workers; w++) {
            o[w] = ordered.ordering().order(w);
        }
        return o;
    }
}
