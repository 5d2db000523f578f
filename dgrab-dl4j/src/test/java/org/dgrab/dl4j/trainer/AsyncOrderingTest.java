package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.data.Sharding;
import org.dgrab.dl4j.gradient.ModelAdapter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Asynchronous ordering (batch units, sequential mode): the ordering reads gradients on its own thread from models
 * sharing the trained parameters, and training is bit-identical to the synchronous path.
 */
class AsyncOrderingTest {
    private static final int N = 50;
    private static final int WORKERS = 3;
    private static final int BATCH = 4;

    /** Counts forward passes of the trained model, to see which path ran. */
    private static final class Passes extends BaseTrainingListener {
        int forward;

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            forward++;
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            forward++;
        }
    }

    private record Run(List<EpochStats> stats, int[][] orders, long messages, int forwardPasses, int stepsPerEpoch) {
    }

    private static Run train(Model net, boolean async, int epochs) {
        return train(net, async, epochs, 4);
    }

    private static Run train(Model net, boolean async, int epochs, int features) {
        return train(net, async, epochs, features, Granularity.BATCH);
    }

    private static Run train(Model net, boolean async, int epochs, int features, Granularity g) {
        Passes passes = new Passes();
        net.addListeners(passes);
        DataSet data = TestData.blobs(N, features, 3, 21);
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(List.of(data)))
                .setOrdering(OrderingConfig.of("cd-grab", 5)).optWorkers(WORKERS).optBatchSize(BATCH)
                .optSharding(Sharding.SEEDED).optGranularity(g).optAsyncOrdering(async).build()) {
            List<EpochStats> s = t.fit(epochs);
            int[][] o = new int[WORKERS][];
            for (int w = 0; w < WORKERS; w++) {
                o[w] = t.ordering().order(w);
            }
            return new Run(s, o, t.communication().messages(), passes.forward, t.stepsPerEpoch());
        }
    }

    private static void assertSameRun(Run sync, Run async) {
        for (int w = 0; w < WORKERS; w++) {
            assertArrayEquals(sync.orders[w], async.orders[w], "worker " + w + "'s next order");
        }
        assertEquals(sync.messages, async.messages);
        for (int e = 0; e < sync.stats.size(); e++) {
            assertEquals(sync.stats.get(e).meanBatchLoss(), async.stats.get(e).meanBatchLoss(), 0.0, "epoch " + e + " loss");
        }
    }

    @Test
    void multiLayerNetworkTrainsIdenticallyWithAsynchronousOrdering() {
        MultiLayerNetwork a = TestData.mlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3);
        MultiLayerNetwork b = TestData.mlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3);
        Run sync = train(a, false, 3);
        Run async = train(b, true, 3);
        assertSameRun(sync, async);
        TestData.assertSameTrainingState(a, b);
        // Shards of 17, 17 and 16 examples in batches of 4: 5, 5 and 4 units, 5 steps. Synchronously the trained
        // model runs every worker's forward pass; asynchronously only worker 0's (the others run on replicas).
        assertEquals(5, sync.stepsPerEpoch);
        assertEquals(3 * (5 + 5 + 4), sync.forwardPasses);
        assertEquals(3 * 5, async.forwardPasses);
    }

    @Test
    void batchNormStatisticsAreAveragedTheSameWayWithAsynchronousOrdering() {
        // The asynchronous path sums into the trained model's gradient array and averages BatchNorm's running
        // statistics there, instead of in a separate sum.
        MultiLayerNetwork a = RunningStatisticsTest.batchNormNet();
        MultiLayerNetwork b = RunningStatisticsTest.batchNormNet();
        float[] start = TestData.params(a);
        Run sync = train(a, false, 2, 5);
        Run async = train(b, true, 2, 5);
        assertSameRun(sync, async);
        TestData.assertSameTrainingState(a, b);
        assertEquals(2 * 5, async.forwardPasses);
        float[] end = TestData.params(b);
        boolean moved = false;
        for (long[] r : ModelAdapter.of(b).statisticRanges()) {
            for (long i = r[0]; i < r[0] + r[1]; i++) {
                moved |= end[(int) i] != start[(int) i];
            }
        }
        assertTrue(moved, "running statistics were updated");
    }

    @Test
    void anOrderingFailureSurfacesAndACheckpointCanBeRestoredAfterIt() throws Exception {
        // Example 13 has a NaN feature: CD-GraB fails under FAIL on the ordering thread; the trainer rethrows it,
        // refuses to save, and restores an earlier checkpoint, after which the same failure comes back.
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(TestData.logreg(4, 3, new Sgd(0.1), 1))
                .setData(ExampleStore.of(List.of(BadInputTest.withNaN()))).setOrdering(OrderingConfig.of("cd-grab", 0))
                .optWorkers(2).optBatchSize(4).optAsyncOrdering(true).build()) {
            ByteArrayOutputStream start = new ByteArrayOutputStream();
            t.save(start);
            NonFiniteGradientException first =
                    assertThrows(NonFiniteGradientException.class, () -> t.fit(1));
            assertEquals(1, first.worker());
            assertThrows(NonFiniteGradientException.class,
                    () -> t.save(new ByteArrayOutputStream()), "no checkpoint of a state the failure left behind");
            t.restore(new ByteArrayInputStream(start.toByteArray()));
            NonFiniteGradientException again =
                    assertThrows(NonFiniteGradientException.class, () -> t.fit(1));
            assertEquals(first.worker(), again.worker());
            assertEquals(first.step(), again.step());
            assertEquals(first.unit(), again.unit());
            assertEquals(0, again.epoch());
        }
    }

    @Test
    void lastLayerUnitsTrainIdenticallyWhenTheirRowsAreFormedOnTheOrderingThread() {
        MultiLayerNetwork a = TestData.mlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3);
        MultiLayerNetwork b = TestData.mlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3);
        Run sync = train(a, false, 3, 4, Granularity.EXAMPLE_LAST_LAYER);
        Run async = train(b, true, 3, 4, Granularity.EXAMPLE_LAST_LAYER);
        assertSameRun(sync, async);
        TestData.assertSameTrainingState(a, b);
        // Last-layer units need no replicas: every worker's pass runs on the trained model either way.
        assertEquals(sync.forwardPasses, async.forwardPasses);
        ComputationGraph c = TestData.graphMlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3);
        ComputationGraph d = TestData.graphMlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3);
        assertSameRun(train(c, false, 2, 4, Granularity.EXAMPLE_LAST_LAYER), train(d, true, 2, 4, Granularity.EXAMPLE_LAST_LAYER));
        TestData.assertSameTrainingState(c, d);
    }

    @Test
    void computationGraphTrainsIdenticallyWithAsynchronousOrdering() {
        ComputationGraph a = TestData.graphMlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3);
        ComputationGraph b = TestData.graphMlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3);
        Run sync = train(a, false, 2);
        Run async = train(b, true, 2);
        assertSameRun(sync, async);
        TestData.assertSameTrainingState(a, b);
        assertEquals(2 * 5, async.forwardPasses);
    }
}
