package org.dgrab.examples.quickstart;

import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Small labelled data for the quickstart tests: one Gaussian blob per class, rows in class order. */
final class Blobs {
    private Blobs() {
    }

    /**
     * @param n        rows
     * @param features columns
     * @param classes  classes (row i has class i * classes / n, so the rows are sorted by class)
     * @param seed     random seed
     * @return features {@code [n, features]} and one-hot labels
     */
    static DataSet of(int n, int features, int classes, long seed) {
        Random r = new Random(seed);
        double[][] centres = new double[classes][features];
        for (double[] c : centres) {
            for (int j = 0; j < features; j++) {
                c[j] = 3 * r.nextGaussian();
            }
        }
        float[] x = new float[n * features];
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            int c = (int) ((long) i * classes / n);
            for (int j = 0; j < features; j++) {
                x[i * features + j] = (float) (centres[c][j] + r.nextGaussian());
            }
            y[i * classes + c] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[] {n, features}, DataType.FLOAT),
                Nd4j.create(y, new long[] {n, classes}, DataType.FLOAT));
    }
}
