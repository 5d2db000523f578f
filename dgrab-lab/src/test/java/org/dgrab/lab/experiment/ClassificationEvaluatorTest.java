package org.dgrab.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.lab.models.Models;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** Tests {@link ClassificationEvaluator}: its one-pass loss and accuracy against DL4J's score and evaluation. */
class ClassificationEvaluatorTest {

    private static DataSet data(int n, int inputs, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n * inputs];
        float[] y = new float[n * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i * 10 + r.nextInt(10)] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[] {n, inputs}, DataType.FLOAT),
                Nd4j.create(y, new long[] {n, 10}, DataType.FLOAT));
    }

    /** Accuracy by definition: the share of rows whose largest output is at the label's index. */
    private static double argmaxAccuracy(MultiLayerNetwork net, DataSet d) {
        int[] p = net.output(d.getFeatures(), false).argMax(1).toIntVector();
        int[] y = d.getLabels().argMax(1).toIntVector();
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            correct += p[i] == y[i] ? 1 : 0;
        }
        return (double) correct / p.length;
    }

    @Test
    void onePassLossAndAccuracyAgreeWithDl4jScoreAndArgmax() {
        MultiLayerNetwork net = Models.mlp(20, 8, 10, new Sgd(0.1), 3);
        DataSet d = data(2500, 20, 1);
        double[] la = ClassificationEvaluator.lossAndAccuracy(net, d);
        assertEquals(ClassificationEvaluator.loss(net, d), la[0], 1e-5);
        assertEquals(ClassificationEvaluator.accuracy(net, d), la[1], 0);
        assertEquals(argmaxAccuracy(net, d), la[1], 0);
        MultiLayerNetwork lenet = Models.lenet(1, 28, 28, 10, new Sgd(0.1), 3);
        DataSet img = data(50, 784, 2);
        la = ClassificationEvaluator.lossAndAccuracy(lenet, img);
        assertEquals(ClassificationEvaluator.loss(lenet, img), la[0], 1e-5);
        assertEquals(ClassificationEvaluator.accuracy(lenet, img), la[1], 0);
    }
}
