package org.dgrab.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /** Train losses of epochs 0..epochs, measured by an evaluator that looks at the training set only. */
    private static double[] losses(String method, DataSet train, int epochs, long seed) {
        return DropInVsShuffle.run(method, train, trainOnly(train), 8, 0.1, epochs, seed, r -> { }).stream()
                .mapToDouble(MetricsRow::trainLoss).toArray();
    }

    private static Evaluator trainOnly(DataSet train) {
        return net -> new Evaluator.Metrics(ClassificationEvaluator.loss(net, train), Double.NaN, Double.NaN);
    }

    @Test
    void bothPathsTrainAndRepeatBitIdenticallyPerSeed() {
        DataSet train = data();
        for (String m : new String[] {DropInVsShuffle.DL4J_SHUFFLE, "cd-grab", "d-rr"}) {
            double[] a = losses(m, train, 4, 3);
            double[] b = losses(m, train, 4, 3);
            assertEquals(5, a.length, "epochs 0..4");
            assertTrue(Arrays.stream(a).allMatch(Double::isFinite), m);
            assertTrue(a[4] < a[0], m + ": " + Arrays.toString(a));
            assertArrayEquals(a, b, 0, m + " repeats for one seed");
        }
    }

    @Test
    void everyRowCarriesItsTimesAndIsHandedOnAsSoonAsMeasured() {
        DataSet train = data();
        for (String m : new String[] {DropInVsShuffle.DL4J_SHUFFLE, "cd-grab"}) {
            List<MetricsRow> seen = new ArrayList<>();
            List<MetricsRow> rows = DropInVsShuffle.run(m, train, new ClassificationEvaluator(train, train), 8, 0.1, 3,
                    5, seen::add);
            assertEquals(rows, seen, m);
            double cumulative = 0;
            for (MetricsRow r : rows) {
                assertEquals(m, r.order());
                assertEquals(5, r.seed());
                assertEquals(rows.indexOf(r), r.epoch());
                assertTrue(r.epoch() == 0 ? r.epochSeconds() == 0 : r.epochSeconds() > 0, r::toString);
                assertTrue(r.orderingSeconds() >= 0 && r.orderingSeconds() <= r.epochSeconds(), r::toString);
                cumulative += r.epochSeconds();
                assertEquals(cumulative, r.cumulativeSeconds(), 1e-9, r::toString);
                assertTrue(r.testMetric() >= 0 && r.testMetric() <= 1, r::toString);
                assertTrue(Double.isNaN(r.herdingBound()), r::toString);
            }
        }
    }

    @Test
    void measuringTheTestSetDoesNotChangeTheTraining() {
        DataSet train = data();
        for (String m : new String[] {DropInVsShuffle.DL4J_SHUFFLE, "cd-grab"}) {
            double[] withTest = DropInVsShuffle.run(m, train, new ClassificationEvaluator(train, data()), 8, 0.1, 3,
                    2, r -> { }).stream().mapToDouble(MetricsRow::trainLoss).toArray();
            assertArrayEquals(losses(m, train, 3, 2), withTest, 0, m);
        }
    }

    @Test
    void theBaselineShufflesEveryEpochWithTheSeed() {
        DataSet train = data();
        double[] s1 = losses(DropInVsShuffle.DL4J_SHUFFLE, train, 2, 1);
        double[] s2 = losses(DropInVsShuffle.DL4J_SHUFFLE, train, 2, 2);
        // Different seeds: different initial weights and orders, so different losses.
        assertFalse(Arrays.equals(s1, s2));
        // The shuffle does not touch the caller's data.
        assertEquals(data().getFeatures(), train.getFeatures());
    }
}
