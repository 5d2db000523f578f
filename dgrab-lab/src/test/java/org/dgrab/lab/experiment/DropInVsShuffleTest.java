package org.dgrab.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/** Tests {@link DropInVsShuffle} on a small generated, learnable data set. */
class DropInVsShuffleTest {

    /** 96 examples of 12 features, 3 classes; the label is the argmax of the first three features. */
    private static DataSet data() {
        Random r = new Random(7);
        int n = 96;
        float[] x = new float[n * 12];
        float[] y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 0; j < 12; j++) {
                x[i * 12 + j] = r.nextFloat();
                if (j < 3 && x[i * 12 + j] > x[i * 12 + best]) {
                    best = j;
                }
            }
            y[i * 3 + best] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[] {n, 12}, DataType.FLOAT),
                Nd4j.create(y, new long[] {n, 3}, DataType.FLOAT));
    }

    @Test
    void bothPathsTrainAndRepeatPerSeed() {
        DataSet train = data();
        for (String m : new String[] {DropInVsShuffle.DL4J_SHUFFLE, "cd-grab", "d-rr"}) {
            double start = ClassificationEvaluator.loss(
                    org.dgrab.lab.models.Models.mlp(12, 128, 3, new org.nd4j.linalg.learning.config.Sgd(0.1), 3), train);
            double[] a = DropInVsShuffle.run(m, train, 8, 0.1, 4, 3);
            double[] b = DropInVsShuffle.run(m, train, 8, 0.1, 4, 3);
            assertEquals(4, a.length);
            assertTrue(Arrays.stream(a).allMatch(Double::isFinite), m);
            assertTrue(a[3] < start, m + ": " + Arrays.toString(a) + " from " + start);
            assertArrayEquals(a, b, 1e-6, m + " repeats for one seed");
        }
    }

    @Test
    void theBaselineShufflesEveryEpochWithTheSeed() {
        DataSet train = data();
        double[] s1 = DropInVsShuffle.run(DropInVsShuffle.DL4J_SHUFFLE, train, 8, 0.1, 2, 1);
        double[] s2 = DropInVsShuffle.run(DropInVsShuffle.DL4J_SHUFFLE, train, 8, 0.1, 2, 2);
        // Different seeds: different initial weights and orders, so different losses.
        assertFalse(Arrays.equals(s1, s2));
        // The shuffle does not touch the caller's data.
        assertEquals(data().getFeatures(), train.getFeatures());
    }
}
