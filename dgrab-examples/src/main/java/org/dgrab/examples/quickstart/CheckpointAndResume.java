package org.dgrab.examples.quickstart;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.dgrab.dl4j.iterator.OrderingCheckpoint;
import org.dgrab.dl4j.iterator.OrderingCheckpointListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Checkpoint and resume {@code net.fit} with CD-GraB: {@code OrderingCheckpointListener} writes ordinary DL4J model
 * zips with the iterator's ordering state inside; a run resumed from one (model by {@code ModelSerializer}, ordering
 * by {@code OrderingCheckpoint.restore}) ends with exactly the parameters of a run that never stopped.
 */
public final class CheckpointAndResume {
    private CheckpointAndResume() {
    }

    /**
     * What the example ends with.
     *
     * @param identical   whether the resumed run's parameters equal the uninterrupted run's, bit for bit
     * @param sameOrders  whether both runs' next orders are equal
     * @param checkpoint  the checkpoint resumed from
     * @param resumeEpoch the epoch count stored in it
     */
    public record Result(boolean identical, boolean sameOrders, File checkpoint, int resumeEpoch) {
    }

    /**
     * Runs the example on the bundled Fashion-MNIST sample (1000 training images).
     *
     * @param args none
     * @throws IOException if the sample cannot be read or the checkpoints cannot be written
     */
    public static void main(String[] args) throws IOException {
        DataSet train = FashionMnistSample.load(true, 1000);
        File dir = Files.createTempDirectory("dgrab-checkpoints").toFile();
        Result r = run(train, 784, 10, 4, 2, 32, dir);
        System.out.printf("resumed from %s (after epoch %d): parameters identical to the uninterrupted run: %s, "
                + "orders identical: %s%n", r.checkpoint(), r.resumeEpoch(), r.identical(), r.sameOrders());
    }

    /**
     * Trains {@code epochs} epochs uninterrupted, then again stopping after {@code stopAfter} epochs, and resumes the
     * second run from its last checkpoint.
     *
     * @param train     training data
     * @param features  inputs per example
     * @param classes   classes
     * @param epochs    epochs in all
     * @param stopAfter epochs before the stop
     * @param batch     mini-batch size
     * @param dir       where the checkpoints go
     * @return the comparison
     * @throws IOException if a checkpoint cannot be written or read
     */
    public static Result run(DataSet train, int features, int classes, int epochs, int stopAfter, int batch, File dir)
            throws IOException {
        MultiLayerNetwork uninterrupted = newNet(features, classes);
        // Same initial weights for both runs (ND4J's random generator does not repeat reliably within one JVM).
        MultiLayerNetwork first = uninterrupted.clone();
        OrderedDataSetIterator all = ordered(train, batch, uninterrupted);
        uninterrupted.fit(all, epochs);

        OrderedDataSetIterator it = ordered(train, batch, first);
        first.addListeners(OrderingCheckpointListener.builder(dir, it).saveEveryNEpochs(1).keepLast(2).build());
        first.fit(it, stopAfter);                       // ... and the process stops here

        // Later, in a new process: the model from the zip, an iterator built as before, its state from the same zip.
        File last = OrderingCheckpointListener.lastCheckpoint(dir);
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(last, true);
        OrderedDataSetIterator again = ordered(train, batch, resumed);
        OrderingCheckpoint.restore(last, again);
        int at = again.ordering().epoch();              // epochs done, counted by the iterator, not DL4J's counter
        resumed.fit(again, epochs - at);

        boolean identical = Arrays.equals(uninterrupted.params().toFloatVector(), resumed.params().toFloatVector());
        boolean sameOrders = Arrays.equals(all.ordering().order(0), again.ordering().order(0));
        return new Result(identical, sameOrders, last, at);
    }

    private static MultiLayerNetwork newNet(int features, int classes) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .weightInit(WeightInit.XAVIER)
                .updater(new Nesterovs(0.01, 0.9))     // updater state is in the zip too
                .list()
                .layer(new DenseLayer.Builder().nIn(features).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(64).nOut(classes).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static OrderedDataSetIterator ordered(DataSet train, int batch, MultiLayerNetwork net) {
        return OrderedDataSetIterator.builder()
                .setSource(new ListDataSetIterator<>(train.asList(), batch))
                .setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 42))
                .build();
    }
}
