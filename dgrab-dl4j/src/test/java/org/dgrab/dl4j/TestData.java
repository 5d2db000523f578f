package org.dgrab.dl4j;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgrab.core.random.SplitMix64;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small generated data sets and models for tests. */
public final class TestData {
    private TestData() {
    }

    /**
     * Gaussian blobs, one per class, in {@code features} dimensions.
     *
     * @param n        examples
     * @param features feature dimension
     * @param classes  classes
     * @param seed     seed
     * @return features [n, features] and one-hot labels [n, classes]
     */
    public static DataSet blobs(int n, int features, int classes, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        double[][] centres = new double[classes][features];
        for (double[] c : centres) {
            for (int j = 0; j < features; j++) {
                c[j] = rng.nextGaussian() * 1.5;
            }
        }
        INDArray x = Nd4j.create(DataType.FLOAT, n, features);
        INDArray y = Nd4j.create(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(classes);
            for (int j = 0; j < features; j++) {
                x.putScalar(i, j, centres[c][j] + rng.nextGaussian());
            }
            y.putScalar(i, c, 1.0);
        }
        return new DataSet(x, y);
    }

    /**
     * Splits a data set into batches (the last may be smaller).
     *
     * @param all   data
     * @param batch batch size
     * @return batches
     */
    public static List<DataSet> batches(DataSet all, int batch) {
        List<DataSet> out = new ArrayList<>();
        int n = all.numExamples();
        for (int s = 0; s < n; s += batch) {
            int e = Math.min(n, s + batch);
            out.add(new DataSet(all.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(s, e)).dup(),
                    all.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(s, e)).dup()));
        }
        return out;
    }

    /**
     * Logistic regression (softmax output layer only).
     *
     * @param features inputs
     * @param classes  classes
     * @param updater  updater
     * @param seed     weight seed
     * @return an initialised network
     */
    public static MultiLayerNetwork logreg(int features, int classes, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(features).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * A one-hidden-layer MLP.
     *
     * @param features inputs
     * @param hidden   hidden units
     * @param classes  classes
     * @param updater  updater
     * @param seed     weight seed
     * @return an initialised network
     */
    public static MultiLayerNetwork mlp(int features, int hidden, int classes, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(features).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
