package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.datasets.iterator.IteratorMultiDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** The trainer on a ComputationGraph with two inputs, fed from MultiDataSets. */
class MultiInputGraphTest {

    @Test
    void oneWorkerFixedOrderTrainsExactlyLikeGraphFit() {
        List<MultiDataSet> batches = TestData.twoInputBatches(60, 10, 5);
        ComputationGraph a = TestData.twoInputGraph(new Nesterovs(0.05, 0.9), 3);
        ComputationGraph b = a.clone();

        for (int e = 0; e < 3; e++) {
            a.fit(new IteratorMultiDataSetIterator(batches.iterator(), 10));
        }
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(b)
                .setData(new IteratorMultiDataSetIterator(batches.iterator(), 10)).setOrdering(OrderingConfig.of("fixed", 0))
                .optBatchSize(10).build()) {
            assertEquals(2, t.data().inputs());
            assertTrue(t.data().isMulti());
            t.fit(3);
        }
        TestData.assertSameTrainingState(a, b);
    }

    @Test
    void everyGranularityTrainsFourWorkersAndVisitsEachExampleOncePerEpoch() {
        ExampleStore data = ExampleStore.ofMulti(TestData.twoInputBatches(64, 8, 6));
        for (Granularity g : Granularity.values()) {
            ComputationGraph graph = TestData.twoInputGraph(new Sgd(0.2), 4);
            try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(graph).setData(data)
                    .setOrdering(OrderingConfig.of("cd-grab", 2)).optWorkers(4).optBatchSize(4).optGranularity(g).build()) {
                List<EpochStats> stats = new ArrayList<>();
                for (int e = 0; e < 4; e++) {
                    List<Integer> seen = new ArrayList<>();
                    for (int w = 0; w < 4; w++) {
                        int[] order = t.ordering().order(w);
                        for (int u : order) {
                            for (int x : t.layout().examples(w, u)) {
                                seen.add(x);
                            }
                        }
                    }
                    int[] all = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
                    assertArrayEquals(TestData.range(0, 64), all, g.id() + " epoch " + e);
                    stats.add(t.fitEpoch());
                }
                assertEquals(64, stats.get(0).examples(), g.id());
                assertTrue(stats.get(3).meanBatchLoss() < stats.get(0).meanBatchLoss(), g.id() + ": " + stats);
                assertTrue(t.ordering().stats().reports() > 0, g.id());
            }
        }
    }

    @Test
    void modelAndDataMustAgreeOnInputsAndOutputs() {
        ExampleStore multi = ExampleStore.ofMulti(TestData.twoInputBatches(20, 10, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataParallelTrainer.builder()
                .setModel(TestData.mlp(4, 4, 3, new Sgd(0.1), 1)).setData(multi).setOrdering(OrderingConfig.of("d-rr", 0))
                .build());
        assertTrue(e.getMessage().contains("2 feature array(s)") && e.getMessage().contains("MultiLayerNetwork takes 1 input(s)"),
                e.getMessage());
        ExampleStore single = ExampleStore.of(TestData.batches(TestData.blobs(20, 4, 3, 1), 10));
        e = assertThrows(IllegalArgumentException.class, () -> DataParallelTrainer.builder()
                .setModel(TestData.twoInputGraph(new Sgd(0.1), 1)).setData(single).setOrdering(OrderingConfig.of("d-rr", 0))
                .build());
        assertTrue(e.getMessage().contains("ComputationGraph takes 2 input(s)"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> multi.batch(new int[] {0}));
        assertTrue(s.getMessage().contains("2 inputs"), s.getMessage());
    }

    @Test
    void storeKeepsEveryInputOfAnExample() {
        List<MultiDataSet> batches = TestData.twoInputBatches(30, 10, 2);
        ExampleStore s = ExampleStore.ofMulti(batches);
        assertEquals(30, s.size());
        assertEquals(3, s.sourceBatches());
        MultiDataSet m = s.multiBatch(new int[] {12, 3});
        for (int in = 0; in < 2; in++) {
            assertEquals(batches.get(1).getFeatures(in).getRow(2), m.getFeatures(in).getRow(0));
            assertEquals(batches.get(0).getFeatures(in).getRow(3), m.getFeatures(in).getRow(1));
        }
        assertEquals(batches.get(1).getLabels(0).getRow(2), m.getLabels(0).getRow(0));
        assertTrue(Arrays.equals(new long[] {2, 2}, m.getFeatures(1).shape()));

        List<MultiDataSet> mixed = new ArrayList<>(batches);
        MultiDataSet b1 = batches.get(1);
        mixed.set(1, new org.nd4j.linalg.dataset.MultiDataSet(b1.getFeatures(0), b1.getLabels(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.ofMulti(mixed));
        assertTrue(e.getMessage().contains("batch 1 has 1 feature and 1 label arrays; batch 0 had 2 and 1"), e.getMessage());
        mixed.set(1, new org.nd4j.linalg.dataset.MultiDataSet(new org.nd4j.linalg.api.ndarray.INDArray[] {b1.getFeatures(0),
                b1.getFeatures(0).getColumn(0).reshape(10, 1)}, b1.getLabels()));
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.ofMulti(mixed));
        assertTrue(e.getMessage().contains("batch 1 has example shape [1] for features 1; batch 0 had [2]"), e.getMessage());
    }
}
