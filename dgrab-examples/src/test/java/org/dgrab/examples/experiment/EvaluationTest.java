package org.dgrab.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.examples.models.Models;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** Tests {@link Evaluation}, {@link MetricsSummary} and the deterministic initialisation of {@link Models}. */
class EvaluationTest {

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

    @Test
    void onePassLossAndAccuracyAgreeWithDl4jScoreAndArgmax() {
        MultiLayerNetwork net = Models.mlp(20, 8, 10, new Sgd(0.1), 3);
        DataSet d = data(2500, 20, 1);
        double[] la = Evaluation.lossAndAccuracy(net, d);
        assertEquals(Evaluation.loss(net, d), la[0], 1e-5);
        assertEquals(Evaluation.accuracy(net, d), la[1], 0);
        MultiLayerNetwork lenet = Models.lenet(1, 28, 28, 10, new Sgd(0.1), 3);
        DataSet img = data(50, 784, 2);
        la = Evaluation.lossAndAccuracy(lenet, img);
        assertEquals(Evaluation.loss(lenet, img), la[0], 1e-5);
        assertEquals(Evaluation.accuracy(lenet, img), la[1], 0);
    }

    @Test
    void initialWeightsDependOnTheSeedOnly() {
        for (boolean conv : new boolean[] {false, true}) {
            INDArray a = (conv ? Models.lenet(3, 32, 32, 10, new Sgd(0.1), 7) : Models.mlp(30, 16, 10, new Sgd(0.1), 7)).params();
            INDArray b = (conv ? Models.lenet(3, 32, 32, 10, new Sgd(0.1), 7) : Models.mlp(30, 16, 10, new Sgd(0.1), 7)).params();
            INDArray c = (conv ? Models.lenet(3, 32, 32, 10, new Sgd(0.1), 8) : Models.mlp(30, 16, 10, new Sgd(0.1), 8)).params();
            assertEquals(a, b, "same seed, same weights (conv=" + conv + ")");
            assertNotEquals(a, c, "another seed, other weights");
            // Xavier-normal scale: the first layer's weights have std sqrt(2 / (fanIn + fanOut)).
            double std = a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, conv ? 450 : 480)).stdNumber().doubleValue();
            double expected = conv ? Math.sqrt(2.0 / (3 * 25 + 6 * 25)) : Math.sqrt(2.0 / (30 + 16));
            assertEquals(expected, std, expected * 0.2, "weight scale (conv=" + conv + ")");
        }
    }

    @Test
    void summaryAggregatesOverSeedsAndSortsRows() {
        List<MetricsRow> rows = List.of(
                new MetricsRow("d-rr", 1, 1, 0.4, 0, 0.8, 1, 0),
                new MetricsRow("cd-grab", 0, 1, 0.2, 0, 0.9, 1, 0.1),
                new MetricsRow("cd-grab", 1, 1, 0.4, 0, 0.7, 3, 0.3),
                new MetricsRow("cd-grab", 0, 0, 2.0, 0, 0.1, 0, 0),
                new MetricsRow("d-rr", 0, 1, 0.6, 0, 0.6, 1, 0));
        List<MetricsRow> sorted = MetricsSummary.sorted(rows, List.of("cd-grab", "d-rr"), List.of(0L, 1L));
        assertEquals(List.of(rows.get(3), rows.get(1), rows.get(2), rows.get(4), rows.get(0)), sorted);
        MetricsSummary s = new MetricsSummary(sorted);
        assertEquals(List.of("cd-grab", "d-rr"), s.orders());
        MetricsSummary.Series loss = s.series("cd-grab", MetricsRow::trainLoss);
        assertEquals(2, loss.epochs().length);
        assertEquals(2.0, loss.mean()[0], 1e-12);
        assertEquals(0.3, loss.mean()[1], 1e-12);
        assertEquals(0.2, loss.min()[1], 1e-12);
        assertEquals(0.4, loss.max()[1], 1e-12);
        assertEquals(2, loss.seeds()[1]);
        assertEquals(0.3, loss.last(), 1e-12);
        assertEquals(2.0, s.meanOverTrainedEpochs("cd-grab", MetricsRow::epochSeconds), 1e-12, "epoch 0 left out");
    }
}
