package org.dgrab.dl4j.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Sequences padded per batch, as DL4J's sequence iterators serve them (each batch as long as its longest sequence),
 * are copied and served again: whole batches as they were, examples of different batches padded to the longest of
 * the served batch with masks, at the start or the end as the source aligned them.
 */
class VariableLengthTest {
    private static final int N = 24;
    private static final int F = 3;
    private static final int C = 2;
    private static final DataSet ALL = TestData.sequences(N, F, C, 9, 21);

    private static int length(int e) {
        return (int) ALL.getFeaturesMaskArray().getRow(e).sumNumber().intValue();
    }

    /** Batches of 4, each cut to its own longest sequence, padded at the end or (alignEnd) at the start. */
    private static List<DataSet> perBatchPadded(boolean alignEnd) {
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < N; from += 4) {
            int steps = 0;
            for (int e = from; e < from + 4; e++) {
                steps = Math.max(steps, length(e));
            }
            INDArray x = Nd4j.create(DataType.FLOAT, 4, F, steps);
            INDArray y = Nd4j.create(DataType.FLOAT, 4, C, steps);
            INDArray m = Nd4j.create(DataType.FLOAT, 4, steps);
            for (int i = 0; i < 4; i++) {
                int e = from + i;
                int len = length(e);
                int shift = alignEnd ? steps - len : 0;
                for (int t = 0; t < len; t++) {
                    m.putScalar(i, shift + t, 1.0);
                    for (int j = 0; j < F; j++) {
                        x.putScalar(new long[] {i, j, shift + t}, ALL.getFeatures().getDouble(e, j, t));
                    }
                    for (int j = 0; j < C; j++) {
                        y.putScalar(new long[] {i, j, shift + t}, ALL.getLabels().getDouble(e, j, t));
                    }
                }
            }
            out.add(new DataSet(x, y, m, m.dup()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void examplesOfDifferentLengthsArePaddedToTheServedBatchAsTheSourceAlignedThem(boolean alignEnd) {
        List<DataSet> batches = perBatchPadded(alignEnd);
        assertTrue(batches.get(0).getFeatures().size(2) != batches.get(1).getFeatures().size(2)
                || batches.get(1).getFeatures().size(2) != batches.get(2).getFeatures().size(2), "lengths differ");
        ExampleStore s = ExampleStore.of(batches);
        assertEquals(N, s.size());

        // A whole source batch comes back exactly as it was.
        DataSet second = s.batch(new int[] {4, 5, 6, 7});
        assertEquals(batches.get(1).getFeatures(), second.getFeatures());
        assertEquals(batches.get(1).getFeaturesMaskArray(), second.getFeaturesMaskArray());

        // Examples of several batches: padded to the longest, each example's steps where the alignment puts them.
        int[] idx = {23, 0, 9, 14, 5};
        DataSet d = s.batch(idx);
        int steps = 0;
        for (int e : idx) {
            steps = Math.max(steps, length(e));
        }
        long batchSteps = d.getFeatures().size(2);
        assertTrue(batchSteps >= steps, "at least the longest sequence");
        for (int i = 0; i < idx.length; i++) {
            int len = length(idx[i]);
            long shift = alignEnd ? batchSteps - len : 0;
            for (long t = 0; t < batchSteps; t++) {
                boolean on = t >= shift && t < shift + len;
                assertEquals(on ? 1.0 : 0.0, d.getFeaturesMaskArray().getDouble(i, t), "mask " + i + " at " + t);
                assertEquals(on ? 1.0 : 0.0, d.getLabelsMaskArray().getDouble(i, t), "label mask " + i + " at " + t);
                for (int j = 0; j < F; j++) {
                    double expected = on ? ALL.getFeatures().getDouble(idx[i], j, t - shift) : 0.0;
                    assertEquals(expected, d.getFeatures().getDouble(i, j, t), 0.0, "feature " + i + "," + j + " at " + t);
                }
            }
        }
    }

    @Test
    void variableLengthSequencesTrainWithBatchAndExampleUnits() {
        List<DataSet> batches = perBatchPadded(false);
        MultiLayerNetwork net = TestData.rnn(F, 4, C, new Adam(0.02), 1);
        List<int[]> orders = new ArrayList<>();
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(batches))
                .setModel(net).optOrdering(OrderingConfig.of("cd-grab", 2)).optGranularity(Granularity.BATCH).build();
        for (int epoch = 0; epoch < 3; epoch++) {
            orders.add(it.ordering().order(0));
            net.fit(it);
        }
        MultiLayerNetwork ref = TestData.rnn(F, 4, C, new Adam(0.02), 1);
        for (int[] order : orders) {
            List<DataSet> epoch = new ArrayList<>();
            for (int u : order) {
                epoch.add(batches.get(u));
            }
            ref.fit(new ExistingDataSetIterator(epoch));
        }
        assertArrayEquals(TestData.params(ref), TestData.params(net), 0f);

        // Example units (D-RR: RnnOutputLayer has no per-example gradients in dgrab): served batches mix lengths.
        MultiLayerNetwork rr = TestData.rnn(F, 4, C, new Adam(0.02), 1);
        OrderedDataSetIterator ex = OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(batches))
                .optOrdering(OrderingConfig.of("d-rr", 2)).optBatchSize(4).build();
        int served = 0;
        while (ex.hasNext()) {
            DataSet d = ex.next();
            assertEquals(d.getFeatures().size(2), d.getFeaturesMaskArray().size(1));
            served += (int) d.getFeatures().size(0);
        }
        assertEquals(N, served);
        ex.reset();
        rr.fit(ex, 2);
        assertTrue(Double.isFinite(rr.score()));
    }

    @Test
    void masksPaddedAtBothEndsAreRefused() {
        List<DataSet> mixed = new ArrayList<>(perBatchPadded(false).subList(0, 3));
        mixed.addAll(perBatchPadded(true).subList(3, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.of(mixed));
        assertTrue(e.getMessage().contains("at their start and others at their end"), e.getMessage());
    }
}
