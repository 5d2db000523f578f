package org.dgrab.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small generated data, a tiny MLP with seeded weights, and a local Spark context for the tests. */
final class SparkTestData {
    static final int FEATURES = 6;
    static final int CLASSES = 3;

    private SparkTestData() {
    }

    /**
     * @param master e.g. local[4], or local[4,2] to let a failed task be retried once
     * @param name   application name
     * @return a context on loopback without UI
     */
    static JavaSparkContext context(String master, String name) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return new JavaSparkContext(conf);
    }

    /**
     * @param n    examples
     * @param seed data seed
     * @return n single-example DataSets, labels from a fixed linear rule with noise
     */
    static List<DataSet> examples(int n, long seed) {
        Random r = new Random(seed);
        double[][] w = new double[CLASSES][FEATURES];
        Random wr = new Random(1234);
        for (double[] row : w) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = wr.nextGaussian();
            }
        }
        List<DataSet> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] x = new float[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = (float) r.nextGaussian();
            }
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                double s = r.nextGaussian() * 0.5;
                for (int j = 0; j < FEATURES; j++) {
                    s += w[c][j] * x[j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            float[] y = new float[CLASSES];
            y[best] = 1;
            out.add(new DataSet(Nd4j.createFromArray(new float[][] {x}), Nd4j.createFromArray(new float[][] {y})));
        }
        return out;
    }

    /**
     * @param seed weight seed
     * @return an initialised 6-8-3 MLP (plain SGD, lr 0.1) with weights drawn from java.util.Random
     */
    static MultiLayerNetwork mlp(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray p = net.params();
        Random r = new Random(seed);
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.3);
        }
        p.assign(Nd4j.createFromArray(v));
        return net;
    }
}
