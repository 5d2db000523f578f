package org.dgrab.examples.quickstart;

import java.io.IOException;
import java.util.List;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.dl4j.trainer.EpochStats;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Exact synchronous data-parallel SGD with {@code DataParallelTrainer}: 4 workers, each on its own shard, their
 * gradients summed into one update per step, ordered by CD-GraB and, for comparison, by D-RR (every worker
 * shuffling its own shard), from the same initial weights.
 */
public final class ExactDataParallel {
    private ExactDataParallel() {
    }

    /**
     * What the example ends with.
     *
     * @param cdGrab CD-GraB's epochs
     * @param dRr    D-RR's epochs
     */
    public record Result(List<EpochStats> cdGrab, List<EpochStats> dRr) {
    }

    /**
     * Runs the example on the bundled Fashion-MNIST sample.
     *
     * @param args none
     * @throws IOException if the sample cannot be read
     */
    public static void main(String[] args) throws IOException {
        DataSet train = FashionMnistSample.load(true, 0);
        Result r = run(train, 784, 10, 4, 16, 10);
        for (int e = 0; e < r.cdGrab().size(); e++) {
            System.out.printf("epoch %2d  mean batch loss  cd-grab %.4f  d-rr %.4f%n", e + 1,
                    r.cdGrab().get(e).meanBatchLoss(), r.dRr().get(e).meanBatchLoss());
        }
    }

    /**
     * Trains the same MLP twice, once per ordering.
     *
     * @param train    training data
     * @param features inputs per example
     * @param classes  classes
     * @param workers  data-parallel workers
     * @param batch    examples per worker per step
     * @param epochs   epochs
     * @return both runs' epochs
     */
    public static Result run(DataSet train, int features, int classes, int workers, int batch, int epochs) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .weightInit(WeightInit.XAVIER)
                .updater(new Sgd(0.05))
                .list()
                .layer(new DenseLayer.Builder().nIn(features).nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(128).nOut(classes).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork cdGrabNet = new MultiLayerNetwork(conf);
        cdGrabNet.init();
        MultiLayerNetwork dRrNet = cdGrabNet.clone();   // same initial weights
        return new Result(train(cdGrabNet, train, "cd-grab", workers, batch, epochs),
                train(dRrNet, train, "d-rr", workers, batch, epochs));
    }

    private static List<EpochStats> train(MultiLayerNetwork net, DataSet train, String ordering, int workers,
                                          int batch, int epochs) {
        try (DataParallelTrainer trainer = DataParallelTrainer.builder()
                .setModel(net)
                .setData(new ListDataSetIterator<>(train.asList(), 256))   // read once into memory
                .setOrdering(OrderingConfig.of(ordering, 42))
                .optWorkers(workers)
                .optBatchSize(batch)
                .optGranularity(Granularity.EXAMPLE_LAST_LAYER)           // per-example units
                .build()) {
            return trainer.fit(epochs);
        }
    }
}
