package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * A checkpoint written in the middle of an epoch and restored into a fresh trainer with a fresh model continues
 * exactly like the uninterrupted run: same parameters (updater state included), same orders.
 */
class CheckpointTest {
    private static final int WORKERS = 3;
    private static final int EPOCHS = 3;
    private static final DataSet ALL = TestData.blobs(45, 4, 3, 51);

    private static DataParallelTrainer trainer(Model net, String ordering, Granularity g) {
        return DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(List.of(ALL)))
                .setOrdering(OrderingConfig.of(ordering, 13)).optWorkers(WORKERS).optBatchSize(3).optGranularity(g).build();
    }

    private static MultiLayerNetwork model() {
        return TestData.mlp(4, 5, 3, new Nesterovs(0.05, 0.9), 6);
    }

    private static int[][] orders(DataParallelTrainer t) {
        int[][] o = new int[WORKERS][];
        for (int w = 0; w < WORKERS; w++) {
            o[w] = t.ordering().order(w);
        }
        return o;
    }

    @ParameterizedTest
    @CsvSource({"cd-grab, BATCH", "cd-grab, EXAMPLE_LAST_LAYER", "d-rr, BATCH", "d-rr, EXAMPLE_LAST_LAYER"})
    void restoringMidEpochContinuesExactly(String ordering, Granularity g) throws IOException {
        MultiLayerNetwork a = model();
        int[][] ordersA2;
        List<EpochStats> statsA;
        try (DataParallelTrainer ta = trainer(a, ordering, g)) {
            ta.fit(2);
            ordersA2 = orders(ta);
            statsA = ta.fit(1);
            assertEquals(EPOCHS, ta.epoch());
        }
        int[][] ordersA3 = null;
        MultiLayerNetwork b = model();
        byte[] checkpoint;
        int steps;
        int done;
        try (DataParallelTrainer tb = trainer(b, ordering, g)) {
            steps = tb.stepsPerEpoch();
            done = steps + steps / 2;
            for (int s = 0; s < done; s++) {
                tb.step();
            }
            assertEquals(1, tb.epoch());
            assertEquals(steps / 2, tb.position());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            tb.save(out);
            checkpoint = out.toByteArray();
            // Training on after saving does not change what was saved.
            tb.step();
        }
        MultiLayerNetwork c = model();
        try (DataParallelTrainer tc = trainer(c, ordering, g)) {
            tc.restore(new ByteArrayInputStream(checkpoint));
            assertEquals(1, tc.epoch());
            assertEquals(steps / 2, tc.position());
            assertEquals(done, c.getIterationCount());
            assertEquals(1, c.getEpochCount());
            List<EpochStats> statsC = null;
            for (int s = done; s < EPOCHS * steps; s++) {
                if (s == 2 * steps) {
                    assertTrue(java.util.Arrays.deepEquals(ordersA2, orders(tc)), "orders of epoch 2");
                }
                EpochStats st = tc.step();
                if (st != null && tc.epoch() == EPOCHS) {
                    statsC = List.of(st);
                }
            }
            assertEquals(EPOCHS, tc.epoch());
            ordersA3 = orders(tc);
            assertEquals(statsA.get(0).meanBatchLoss(), statsC.get(0).meanBatchLoss(), 0.0);
            assertEquals(statsA.get(0).examples(), statsC.get(0).examples());
        }
        TestData.assertSameTrainingState(a, c);
        assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(), c.getUpdater().getStateViewArray().toFloatVector(), 0f);
        try (DataParallelTrainer ta2 = trainer(model(), ordering, g)) {
            ta2.fit(EPOCHS);
            assertTrue(java.util.Arrays.deepEquals(orders(ta2), ordersA3), "orders after the last epoch");
        }
    }

    @Test
    void adamComputationGraphRestoresExactly() throws IOException {
        ComputationGraph a = TestData.graphMlp(4, 5, 3, new Adam(0.01), 2);
        try (DataParallelTrainer ta = trainer(a, "cd-grab", Granularity.EXAMPLE_LAST_LAYER)) {
            ta.fit(2);
        }
        ComputationGraph b = TestData.graphMlp(4, 5, 3, new Adam(0.01), 2);
        byte[] checkpoint;
        try (DataParallelTrainer tb = trainer(b, "cd-grab", Granularity.EXAMPLE_LAST_LAYER)) {
            for (int s = 0; s < tb.stepsPerEpoch() + 2; s++) {
                tb.step();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            tb.save(out);
            checkpoint = out.toByteArray();
        }
        ComputationGraph c = TestData.graphMlp(4, 5, 3, new Adam(0.01), 2);
        try (DataParallelTrainer tc = trainer(c, "cd-grab", Granularity.EXAMPLE_LAST_LAYER)) {
            tc.restore(new ByteArrayInputStream(checkpoint));
            tc.fitEpoch();
            assertEquals(2, tc.epoch());
        }
        TestData.assertSameTrainingState(a, c);
    }

    @Test
    void restoringIntoADifferentlyConfiguredTrainerFails() throws IOException {
        byte[] checkpoint;
        try (DataParallelTrainer t = trainer(model(), "cd-grab", Granularity.BATCH)) {
            t.step();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.save(out);
            checkpoint = out.toByteArray();
        }
        try (DataParallelTrainer other = trainer(model(), "d-rr", Granularity.BATCH)) {
            IOException e = assertThrows(IOException.class, () -> other.restore(new ByteArrayInputStream(checkpoint)));
            assertTrue(e.getMessage().contains("checkpoint is of a trainer with cd-grab"), e.getMessage());
            assertTrue(e.getMessage().contains("d-rr"), e.getMessage());
        }
        try (DataParallelTrainer other = trainer(model(), "cd-grab", Granularity.BATCH)) {
            IOException e = assertThrows(IOException.class, () -> other.restore(new ByteArrayInputStream(new byte[] {1, 2, 3})));
            assertTrue(e.getMessage().contains("incomplete trainer checkpoint"), e.getMessage());
        }
    }
}
