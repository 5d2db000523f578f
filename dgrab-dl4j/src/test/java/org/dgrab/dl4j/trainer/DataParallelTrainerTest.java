package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

class DataParallelTrainerTest {

    @Test
    void oneWorkerFixedOrderTrainsExactlyLikeFit() {
        DataSet all = TestData.blobs(96, 5, 3, 1);
        List<DataSet> batches = TestData.batches(all, 16);
        MultiLayerNetwork a = TestData.mlp(5, 8, 3, new Adam(0.01), 7);
        MultiLayerNetwork b = TestData.mlp(5, 8, 3, new Adam(0.01), 7);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector());

        a.fit(new ExistingDataSetIterator(batches), 3);

        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(b).setData(ExampleStore.of(batches))
                .setOrdering(OrderingConfig.of("fixed", 0)).optBatchSize(16).build()) {
            t.fit(3);
        }
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), 0f);
        assertEquals(a.getIterationCount(), b.getIterationCount());
        assertEquals(a.getEpochCount(), b.getEpochCount());
    }

    @Test
    void exactPerExampleGradientsWorkOnAFreshNetwork() {
        // DL4J allocates a network's gradient array in its first gradient computation; the exact source used to
        // read it before that and failed on the first step of a new network.
        DataSet all = TestData.blobs(32, 5, 3, 2);
        MultiLayerNetwork net = TestData.mlp(5, 8, 3, new Adam(0.01), 3);
        assertEquals(null, net.getFlattenedGradients(), "a fresh network has no gradient array yet");
        float[] before = net.params().toFloatVector();
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net)
                .setData(ExampleStore.of(TestData.batches(all, 8))).setOrdering(OrderingConfig.of("cd-grab", 0))
                .optWorkers(2).optBatchSize(4).optGranularity(Granularity.EXAMPLE_EXACT).build()) {
            EpochStats s = t.fitEpoch();
            assertTrue(Double.isFinite(s.meanBatchLoss()), "loss " + s.meanBatchLoss());
        }
        assertFalse(java.util.Arrays.equals(before, net.params().toFloatVector()), "the network trained");
    }
}
