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
import org.dgrab.core.NonFinitePolicy;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.balance.SignRule;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.Sharding;
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

    /** The trainer of {@link #trainer} before {@code build()}, for the variants of one field. */
    private static DataParallelTrainer.Builder base(OrderingConfig ordering) {
        return DataParallelTrainer.builder().setModel(model()).setData(ExampleStore.of(List.of(ALL)))
                .setOrdering(ordering).optWorkers(WORKERS).optBatchSize(3).optGranularity(Granularity.BATCH);
    }

    /** @return the message with which a trainer built by {@code restored} refuses a checkpoint of {@code saved} */
    private static String refusal(DataParallelTrainer.Builder saved, DataParallelTrainer.Builder restored)
            throws IOException {
        byte[] checkpoint;
        try (DataParallelTrainer t = saved.build()) {
            t.step();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.save(out);
            checkpoint = out.toByteArray();
        }
        try (DataParallelTrainer other = restored.build()) {
            int[] order = other.ordering().order(0);
            IOException e = assertThrows(IOException.class, () -> other.restore(new ByteArrayInputStream(checkpoint)));
            assertArrayEquals(order, other.ordering().order(0), "a refused checkpoint changes nothing");
            assertEquals(0, other.position());
            return e.getMessage();
        }
    }

    private static void assertRefusedFor(String field, String saved, String restored, String message) {
        assertTrue(message.startsWith("checkpoint is of another configuration: " + field + " differs, the checkpoint has "
                + field + "=" + saved + ", this trainer has " + field + "=" + restored + " (this trainer: "), message);
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefusedNamingTheField() throws IOException {
        OrderingConfig cd = OrderingConfig.of("cd-grab", 13);
        assertRefusedFor("kind", "cd-grab", "d-rr", refusal(base(cd), base(OrderingConfig.of("d-rr", 13))));
        assertRefusedFor("seed", "13", "14", refusal(base(cd), base(cd.withSeed(14))));
        assertRefusedFor("signs", "deterministic", "probabilistic(0.5)", refusal(base(cd), base(OrderingConfig.builder(
                OrderingConfig.Kind.CD_GRAB).optSeed(13).optSignRule(SignRule.probabilistic(0.5)).build())));
        assertRefusedFor("nonFinite", "FAIL", "SKIP", refusal(base(cd), base(OrderingConfig.builder(
                OrderingConfig.Kind.CD_GRAB).optSeed(13).optNonFinitePolicy(NonFinitePolicy.SKIP).build())));
        assertRefusedFor("sketch", "0", "2", refusal(base(cd), base(OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB)
                .optSeed(13).optSketchDim(2).build())));
        OrderingConfig recursive = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB_RECURSIVE).optSeed(13).build();
        assertRefusedFor("depth", "6", "2", refusal(base(recursive), base(OrderingConfig.builder(
                OrderingConfig.Kind.CD_GRAB_RECURSIVE).optSeed(13).optDepth(2).build())));
        assertRefusedFor("decorator", "none", DecoratorTest.Watching.class.getName(),
                refusal(base(cd), base(cd).optDecorator(s -> new DecoratorTest.Watching(s, false))));
        assertRefusedFor("workers", "3", "5", refusal(base(cd), base(cd).optWorkers(5)));
        assertRefusedFor("batch", "3", "5", refusal(base(cd), base(cd).optBatchSize(5)));
        assertRefusedFor("granularity", "batch", "example-last-layer",
                refusal(base(cd), base(cd).optGranularity(Granularity.EXAMPLE_LAST_LAYER)));
        assertRefusedFor("microbatch", "1", "3", refusal(base(cd).optGranularity(Granularity.EXAMPLE_EXACT),
                base(cd).optGranularity(Granularity.EXAMPLE_EXACT).optMicrobatch(3)));
        assertRefusedFor("sharding", "CONTIGUOUS", "SEEDED", refusal(base(cd), base(cd).optSharding(Sharding.SEEDED)));
        assertRefusedFor("examples", "45", "42", refusal(base(cd), base(cd).setData(ExampleStore.of(List.of(
                TestData.blobs(42, 4, 3, 51))))));
    }

    @Test
    void bytesThatAreNoCheckpointAreRefused() throws IOException {
        try (DataParallelTrainer other = trainer(model(), "cd-grab", Granularity.BATCH)) {
            IOException e = assertThrows(IOException.class, () -> other.restore(new ByteArrayInputStream(new byte[] {1, 2, 3})));
            assertTrue(e.getMessage().contains("incomplete trainer checkpoint"), e.getMessage());
        }
    }
}
