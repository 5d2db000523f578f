package org.dgrab.examples.quickstart;

import java.io.IOException;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * CD-GraB as a drop-in replacement for shuffling: wrap the training iterator, train with DL4J's
 * {@code EarlyStoppingTrainer} (which calls {@code fit} and {@code reset} on the wrapper every epoch, so every epoch
 * gets a new balanced order), evaluate the best model with DL4J's {@code Evaluation}.
 */
public final class FitWithCdGrab {
    private FitWithCdGrab() {
    }

    /**
     * What the example ends with.
     *
     * @param accuracy    test accuracy of the best model
     * @param bestEpoch   the epoch of the best model
     * @param totalEpochs epochs trained
     * @param reason      why training stopped
     * @param orderEpochs epochs the ordering has reordered
     */
    public record Result(double accuracy, int bestEpoch, int totalEpochs, String reason, int orderEpochs) {
    }

    /**
     * Runs the example on the bundled Fashion-MNIST sample.
     *
     * @param args none
     * @throws IOException if the sample cannot be read
     */
    public static void main(String[] args) throws IOException {
        DataSet train = FashionMnistSample.load(true, 0);
        DataSet test = FashionMnistSample.load(false, 0);
        Result r = run(new ListDataSetIterator<>(train.asList(), 32), new ListDataSetIterator<>(test.asList(), 256),
                784, 10, 10);
        System.out.printf("best model: epoch %d of %d (%s), test accuracy %.4f; CD-GraB reordered %d epochs%n",
                r.bestEpoch(), r.totalEpochs(), r.reason(), r.accuracy(), r.orderEpochs());
    }

    /**
     * Trains an MLP with early stopping on CD-GraB-ordered data.
     *
     * @param train     training batches
     * @param test      test batches (early stopping's score and the final evaluation)
     * @param features  inputs per example
     * @param classes   classes
     * @param maxEpochs at most this many epochs
     * @return the result
     */
    public static Result run(DataSetIterator train, DataSetIterator test, int features, int classes, int maxEpochs) {
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

        // The wrapper replaces shuffling: single examples are ordered by their output-layer gradients.
        OrderedDataSetIterator ordered = OrderedDataSetIterator.builder()
                .setSource(train)
                .setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 42))
                .build();

        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(maxEpochs),
                        new ScoreImprovementEpochTerminationCondition(2))
                .scoreCalculator(new DataSetLossCalculator(test, true))
                .evaluateEveryNEpochs(1)
                .modelSaver(new InMemoryModelSaver<>())
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(es, net, ordered).fit();

        Evaluation eval = result.getBestModel().evaluate(test);
        return new Result(eval.accuracy(), result.getBestModelEpoch(), result.getTotalEpochs(),
                result.getTerminationReason() + ": " + result.getTerminationDetails(), ordered.ordering().epoch());
    }
}
