package org.dgrab.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.dgrab.core.internal.random.SplitMix64;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
        return blobs(n, features, classes, 1.5, seed);
    }

    /**
     * Gaussian blobs with a given spread of the class centres (smaller: classes overlap more).
     *
     * @param n        examples
     * @param features feature dimension
     * @param classes  classes
     * @param spread   standard deviation of the class centres (examples have unit noise around them)
     * @param seed     seed
     * @return features [n, features] and one-hot labels [n, classes]
     */
    public static DataSet blobs(int n, int features, int classes, double spread, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        double[][] centres = new double[classes][features];
        for (double[] c : centres) {
            for (int j = 0; j < features; j++) {
                c[j] = rng.nextGaussian() * spread;
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
     * Variable-length sequences with feature and label masks. Time steps beyond an example's length carry
     * large garbage features and labels, so that a lost mask changes every gradient.
     *
     * @param n        examples
     * @param features features per time step
     * @param classes  classes
     * @param steps    maximum length T
     * @param seed     seed
     * @return features [n, features, T], labels [n, classes, T], masks [n, T]
     */
    public static DataSet sequences(int n, int features, int classes, int steps, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, n, features, steps);
        INDArray y = Nd4j.create(DataType.FLOAT, n, classes, steps);
        INDArray m = Nd4j.create(DataType.FLOAT, n, steps);
        for (int i = 0; i < n; i++) {
            int len = 1 + rng.nextInt(steps);
            int c = rng.nextInt(classes);
            for (int t = 0; t < steps; t++) {
                boolean on = t < len;
                m.putScalar(i, t, on ? 1 : 0);
                for (int j = 0; j < features; j++) {
                    x.putScalar(new long[] {i, j, t}, on ? (j == c % features ? 1.0 : 0.0) + 0.5 * rng.nextGaussian()
                            : 50 * rng.nextGaussian());
                }
                y.putScalar(new long[] {i, on ? c : (c + 1) % classes, t}, 1.0);
            }
        }
        return new DataSet(x, y, m, m.dup());
    }

    /**
     * Splits a data set into batches (the last may be smaller), masks included.
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
            out.add(rows(all, range(s, e)));
        }
        return out;
    }

    /**
     * Copies some examples (features, labels and masks) into a new DataSet.
     *
     * @param all data
     * @param idx example indices, in order
     * @return the examples
     */
    public static DataSet rows(DataSet all, int[] idx) {
        return new DataSet(pick(all.getFeatures(), idx), pick(all.getLabels(), idx), pick(all.getFeaturesMaskArray(), idx),
                pick(all.getLabelsMaskArray(), idx));
    }

    private static INDArray pick(INDArray a, int[] idx) {
        if (a == null) {
            return null;
        }
        INDArray[] parts = new INDArray[idx.length];
        for (int i = 0; i < idx.length; i++) {
            parts[i] = a.get(NDArrayIndex.interval(idx[i], idx[i] + 1)).dup();
        }
        return parts.length == 1 ? parts[0] : Nd4j.concat(0, parts);
    }

    /**
     * @param from first
     * @param to   end, exclusive
     * @return {@code from, ..., to - 1}
     */
    public static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /**
     * Identifies examples by the exact bits of their feature rows, to find out which examples a batch held.
     */
    public static final class Ids {
        private final Map<String, Integer> byRow = new HashMap<>();

        /**
         * @param all the examples; their feature rows must be distinct
         */
        public Ids(DataSet all) {
            INDArray f = all.getFeatures();
            long n = f.size(0);
            for (int i = 0; i < n; i++) {
                Integer old = byRow.put(key(f.get(NDArrayIndex.interval(i, i + 1))), i);
                if (old != null) {
                    throw new IllegalArgumentException("examples " + old + " and " + i + " have the same features");
                }
            }
        }

        private static String key(INDArray row) {
            return Arrays.toString(row.dup('c').data().asFloat());
        }

        /**
         * @param features a batch's features
         * @return the index of every example in it, in order
         */
        public int[] of(INDArray features) {
            long n = features.size(0);
            int[] out = new int[(int) n];
            for (int i = 0; i < n; i++) {
                Integer id = byRow.get(key(features.get(NDArrayIndex.interval(i, i + 1))));
                if (id == null) {
                    throw new AssertionError("row " + i + " of the batch is no known example");
                }
                out[i] = id;
            }
            return out;
        }
    }

    /**
     * Asserts that two models ended in the same training state: bit-identical parameters and the same iteration and
     * epoch counts.
     *
     * @param expected the reference (e.g. trained by {@code fit})
     * @param actual   the model under test
     */
    public static void assertSameTrainingState(Model expected, Model actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(params(expected), params(actual), 0f, "parameters");
        org.junit.jupiter.api.Assertions.assertEquals(BaseOptimizer.getIterationCount(expected),
                BaseOptimizer.getIterationCount(actual), "iteration count");
        org.junit.jupiter.api.Assertions.assertEquals(BaseOptimizer.getEpochCount(expected),
                BaseOptimizer.getEpochCount(actual), "epoch count");
    }

    /**
     * @param m a model
     * @return its parameters
     */
    public static float[] params(Model m) {
        return m.params().dup().data().asFloat();
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
        return mlp(features, hidden, classes, updater, 0, seed);
    }

    /**
     * A one-hidden-layer MLP with L2 regularisation of the weights (not the biases).
     *
     * @param features inputs
     * @param hidden   hidden units
     * @param classes  classes
     * @param updater  updater
     * @param l2       L2 coefficient, 0 for none
     * @param seed     weight seed
     * @return an initialised network
     */
    public static MultiLayerNetwork mlp(int features, int hidden, int classes, IUpdater updater, double l2, long seed) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT);
        if (l2 > 0) {
            b.l2(l2);
        }
        MultiLayerConfiguration conf = b.list()
                .layer(new DenseLayer.Builder().nIn(features).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The same one-hidden-layer MLP as a ComputationGraph (input "in", vertices "hidden" and "out").
     *
     * @param features inputs
     * @param hidden   hidden units
     * @param classes  classes
     * @param updater  updater
     * @param seed     weight seed
     * @return an initialised graph
     */
    public static ComputationGraph graphMlp(int features, int hidden, int classes, IUpdater updater, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(features).nOut(hidden).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /**
     * A tiny recurrent classifier: SimpleRnn and RnnOutputLayer.
     *
     * @param features features per time step
     * @param hidden   hidden units
     * @param classes  classes
     * @param updater  updater
     * @param seed     weight seed
     * @return an initialised network
     */
    public static MultiLayerNetwork rnn(int features, int hidden, int classes, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new SimpleRnn.Builder().nIn(features).nOut(hidden).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * A ComputationGraph with two inputs "a" and "b" (two features each), a dense layer per input, a merge vertex
     * and a softmax output "out" over 3 classes.
     *
     * @param updater updater
     * @param seed    weight seed
     * @return an initialised graph
     */
    public static ComputationGraph twoInputGraph(IUpdater updater, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .dataType(DataType.FLOAT).graphBuilder().addInputs("a", "b")
                .addLayer("da", new DenseLayer.Builder().nIn(2).nOut(4).activation(Activation.TANH).build(), "a")
                .addLayer("db", new DenseLayer.Builder().nIn(2).nOut(4).activation(Activation.TANH).build(), "b")
                .addVertex("m", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "da", "db")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "m")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /**
     * Blob data for {@link #twoInputGraph}: the 4 blob features split into inputs of 2.
     *
     * @param n     examples
     * @param batch batch size
     * @param seed  data seed
     * @return the batches
     */
    public static List<org.nd4j.linalg.dataset.api.MultiDataSet> twoInputBatches(int n, int batch, long seed) {
        List<org.nd4j.linalg.dataset.api.MultiDataSet> out = new ArrayList<>();
        for (DataSet d : batches(blobs(n, 4, 3, seed), batch)) {
            INDArray f = d.getFeatures();
            out.add(new org.nd4j.linalg.dataset.MultiDataSet(
                    new INDArray[] {f.getColumns(0, 1).dup(), f.getColumns(2, 3).dup()}, new INDArray[] {d.getLabels()}));
        }
        return out;
    }
}
