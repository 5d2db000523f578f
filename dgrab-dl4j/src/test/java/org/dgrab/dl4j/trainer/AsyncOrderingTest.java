package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.Sharding;
import org.dgrab.dl4j.internal.model.ModelAdapter;
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
            return new Run(s, o, t.ordering().stats().messages(), passes.forward, t.stepsPerEpoch());
        }
    }

    /** Both runs of a comparison, and the model the asynchronous one trained. */
    private record Both(Run sync, Run async, Model asyncModel) {
    }

    /**
     * Trains two models made alike, synchronously and asynchronously, and checks that they end in the same state
     * with the same orders, messages and losses.
     */
    private static Both trainBoth(Supplier<? extends Model> make, int epochs, int features, Granularity g) {
        Model a = make.get();
        Model b = make.get();
        Run sync = train(a, false, epochs, features, g);
        Run async = train(b, true, epochs, features, g);
        for (int w = 0; w < WORKERS; w++) {
            assertArrayEquals(sync.orders[w], async.orders[w], "worker " + w + "'s next order");
        }
        assertEquals(sync.messages, async.messages);
        for (int e = 0; e < sync.stats.size(); e++) {
            assertEquals(sync.stats.get(e).meanBatchLoss(), async.stats.get(e).meanBatchLoss(), 0.0, "epoch " + e + " loss");
        }
        TestData.assertSameTrainingState(a, b);
        return new Both(sync, async, b);
    }

    @Test
    void multiLayerNetworkTrainsIdenticallyWithAsynchronousOrdering() {
        Both r = trainBoth(() -> TestData.mlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3), 3, 4, Granularity.BATCH);
        // Shards of 17, 17 and 16 examples in batches of 4: 5, 5 and 4 units, 5 steps. Synchronously the trained
        // model runs every worker's forward pass; asynchronously only worker 0's (the others run on replicas).
        assertEquals(5, r.sync().stepsPerEpoch());
        assertEquals(3 * (5 + 5 + 4), r.sync().forwardPasses());
        assertEquals(3 * 5, r.async().forwardPasses());
    }

    @Test
    void batchNormStatisticsAreAveragedTheSameWayWithAsynchronousOrdering() {
        // The asynchronous path sums into the trained model's gradient array and averages BatchNorm's running
        // statistics there, instead of in a separate sum.
        float[] start = TestData.params(RunningStatisticsTest.batchNormNet());
        Both r = trainBoth(RunningStatisticsTest::batchNormNet, 2, 5, Granularity.BATCH);
        assertEquals(2 * 5, r.async().forwardPasses());
        float[] end = TestData.params(r.asyncModel());
        boolean moved = false;
        for (long[] range : ModelAdapter.of(r.asyncModel()).statisticRanges()) {
            for (long i = range[0]; i < range[0] + range[1]; i++) {
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
        Both r = trainBoth(() -> TestData.mlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3), 3, 4, Granularity.EXAMPLE_LAST_LAYER);
        // Last-layer units need no replicas: every worker's pass runs on the trained model either way.
        assertEquals(r.sync().forwardPasses(), r.async().forwardPasses());
        trainBoth(() -> TestData.graphMlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3), 2, 4, Granularity.EXAMPLE_LAST_LAYER);
    }

    @Test
    void computationGraphTrainsIdenticallyWithAsynchronousOrdering() {
        Both r = trainBoth(() -> TestData.graphMlp(4, 6, 3, new Nesterovs(0.05, 0.9), 3), 2, 4, Granularity.BATCH);
        assertEquals(2 * 5, r.async().forwardPasses());
    }
}
