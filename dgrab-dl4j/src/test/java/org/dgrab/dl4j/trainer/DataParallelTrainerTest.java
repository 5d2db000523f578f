package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The trainer applies updates exactly as DL4J's {@code fit} does, and the gradient granularities agree on the
 * step's gradient.
 */
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
        TestData.assertSameTrainingState(a, b);
    }

    @Test
    void oneWorkerNesterovsWithL2AndShortLastBatchTrainsExactlyLikeFit() {
        // 90 examples in batches of 16: the last batch has 10, and the updater must divide by 10 there.
        DataSet all = TestData.blobs(90, 5, 3, 2);
        List<DataSet> batches = TestData.batches(all, 16);
        MultiLayerNetwork a = TestData.mlp(5, 8, 3, new Nesterovs(0.05, 0.9), 1e-3, 9);
        MultiLayerNetwork b = TestData.mlp(5, 8, 3, new Nesterovs(0.05, 0.9), 1e-3, 9);

        a.fit(new ExistingDataSetIterator(batches), 4);
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(b).setData(ExampleStore.of(batches))
                .setOrdering(OrderingConfig.of("fixed", 0)).optBatchSize(16).build()) {
            List<EpochStats> stats = t.fit(4);
            assertEquals(4, stats.size());
            for (int e = 0; e < 4; e++) {
                assertEquals(e, stats.get(e).epoch());
                assertEquals(90, stats.get(e).examples());
                assertEquals(6, stats.get(e).steps());
                assertTrue(Double.isFinite(stats.get(e).meanBatchLoss()));
            }
            assertTrue(stats.get(3).meanBatchLoss() < stats.get(0).meanBatchLoss(), "training reduces the loss");
            assertEquals(stats, t.history());
        }
        TestData.assertSameTrainingState(a, b);
    }

    @Test
    void oneWorkerComputationGraphTrainsExactlyLikeFit() {
        DataSet all = TestData.blobs(80, 5, 3, 3);
        List<DataSet> batches = TestData.batches(all, 16);
        ComputationGraph a = TestData.graphMlp(5, 8, 3, new Adam(0.01), 7);
        ComputationGraph b = TestData.graphMlp(5, 8, 3, new Adam(0.01), 7);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector());

        a.fit(new ExistingDataSetIterator(batches), 3);
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(b).setData(ExampleStore.of(batches))
                .setOrdering(OrderingConfig.of("fixed", 0)).optBatchSize(16).build()) {
            t.fit(3);
        }
        TestData.assertSameTrainingState(a, b);
    }

    @Test
    void oneWorkerTrainsLikeFitOnTheBatchesInTheStrategysOrder() {
        // A gradient ordering: replay every epoch's order with fit on the same batches.
        DataSet all = TestData.blobs(64, 5, 3, 4);
        List<DataSet> batches = TestData.batches(all, 8);
        MultiLayerNetwork a = TestData.mlp(5, 8, 3, new Adam(0.01), 7);
        MultiLayerNetwork b = TestData.mlp(5, 8, 3, new Adam(0.01), 7);
        List<int[]> orders = new ArrayList<>();
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(b).setData(ExampleStore.of(batches))
                .setOrdering(OrderingConfig.of("cd-grab", 1)).optBatchSize(8).build()) {
            for (int e = 0; e < 3; e++) {
                orders.add(t.ordering().order(0));
                t.fitEpoch();
            }
        }
        assertFalse(java.util.Arrays.equals(orders.get(1), orders.get(2)), "PairBalance reorders");
        for (int[] order : orders) {
            List<DataSet> epoch = new ArrayList<>();
            for (int u : order) {
                epoch.add(batches.get(u));
            }
            a.fit(new ExistingDataSetIterator(epoch));
        }
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), 0f);
    }

    @Test
    void exactGranularityWithWholeBatchMicrobatchEqualsBatchGranularity() {
        DataSet all = TestData.blobs(60, 5, 3, 5);
        Run batch = train(all, Granularity.BATCH, 0, "cd-grab", 3);
        Run exact = train(all, Granularity.EXAMPLE_EXACT, 6, "cd-grab", 3);
        assertArrayEquals(batch.params, exact.params, 0f);
        assertEquals(batch.orders.size(), exact.orders.size());
        for (int i = 0; i < batch.orders.size(); i++) {
            assertArrayEquals(batch.orders.get(i), exact.orders.get(i), "order " + i);
        }
    }

    @Test
    void exactGranularityWithSingleExamplesTrainsLikeBatchGranularity() {
        // Same fixed order of examples in both: the sum of per-example gradients is the batch gradient.
        DataSet all = TestData.blobs(60, 5, 3, 6);
        Run batch = train(all, Granularity.BATCH, 0, "fixed", 3);
        Run exact = train(all, Granularity.EXAMPLE_EXACT, 1, "fixed", 3);
        float maxDiff = 0;
        float maxMove = 0;
        float[] init = TestData.params(TestData.mlp(5, 8, 3, new Sgd(0.1), 12));
        for (int i = 0; i < batch.params.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(batch.params[i] - exact.params[i]));
            maxMove = Math.max(maxMove, Math.abs(batch.params[i] - init[i]));
        }
        assertTrue(maxDiff < 1e-5f, "max difference " + maxDiff);
        assertTrue(maxMove > 0.05f, "training moved the parameters by " + maxMove);
        assertEquals(batch.loss, exact.loss, 1e-5);
    }

    /** Parameters, orders and last epoch loss of a run. */
    private record Run(float[] params, List<int[]> orders, double loss) {
    }

    private static Run train(DataSet all, Granularity g, int microbatch, String ordering, int epochs) {
        Model net = TestData.mlp(5, 8, 3, new Sgd(0.1), 12);
        DataParallelTrainer.Builder b = DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(List.of(all)))
                .setOrdering(OrderingConfig.of(ordering, 2)).optWorkers(2).optBatchSize(6).optGranularity(g);
        if (microbatch > 0) {
            b.optMicrobatch(microbatch);
        }
        List<int[]> orders = new ArrayList<>();
        double loss;
        try (DataParallelTrainer t = b.build()) {
            List<EpochStats> s = t.fit(epochs);
            loss = s.get(s.size() - 1).meanBatchLoss();
            for (int w = 0; w < 2; w++) {
                orders.add(t.ordering().order(w));
            }
        }
        return new Run(TestData.params(net), orders, loss);
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
