package org.dgrab.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.dgrab.dl4j.trainer.EpochStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Each flat example's {@code run} on small generated data (class-sorted rows, so the order matters). */
class QuickstartExamplesTest {
    private static final DataSet TRAIN = Blobs.of(240, 6, 3, 1);
    private static final DataSet TEST = Blobs.of(90, 6, 3, 1);

    @Test
    void fitWithCdGrabEarlyStopsAndReordersEveryEpoch() {
        FitWithCdGrab.Result r = FitWithCdGrab.run(new ListDataSetIterator<>(TRAIN.asList(), 16),
                new ListDataSetIterator<>(TEST.asList(), 45), 6, 3, 6);
        assertTrue(r.totalEpochs() >= 1 && r.totalEpochs() <= 6, "epochs " + r.totalEpochs());
        assertTrue(r.bestEpoch() >= 0 && r.bestEpoch() < r.totalEpochs(), "best epoch " + r.bestEpoch());
        assertEquals(r.totalEpochs(), r.orderEpochs(), "the ordering moved on at every epoch EarlyStoppingTrainer ran");
        assertTrue(r.accuracy() > 0.8, "separable blobs, 3 classes: accuracy " + r.accuracy());
        assertFalse(r.reason().isBlank());
    }

    @Test
    void parallelWrapperWorkersOrderTheirShards() throws Exception {
        ParallelWrapperCdGrab.Result r = ParallelWrapperCdGrab.run(new ListDataSetIterator<>(TRAIN.asList(), 8),
                new ListDataSetIterator<>(TEST.asList(), 45), 6, 3, 2, 3);
        assertEquals(2, r.lastOrders().length);
        for (int w = 0; w < 2; w++) {
            int[] sorted = r.lastOrders()[w].clone();
            Arrays.sort(sorted);
            int[] expected = r.firstOrders()[w].clone();
            Arrays.sort(expected);
            assertTrue(Arrays.equals(expected, sorted), "worker " + w + "'s order is a permutation of its shard");
            assertFalse(Arrays.equals(r.firstOrders()[w], r.lastOrders()[w]), "worker " + w + "'s order changed");
        }
        assertTrue(r.accuracy() > 0.8, "accuracy " + r.accuracy());
    }

    @Test
    void resumedRunEqualsTheUninterruptedOne(@TempDir Path dir) throws Exception {
        CheckpointAndResume.Result r = CheckpointAndResume.run(TRAIN, 6, 3, 4, 2, 16, dir.toFile());
        assertEquals(2, r.resumeEpoch(), "the last checkpoint holds the model after epoch 2");
        assertTrue(r.checkpoint().isFile() && r.checkpoint().getParentFile().equals(dir.toFile()), r.checkpoint()::toString);
        assertTrue(r.identical(), "parameters bit-identical to the uninterrupted run");
        assertTrue(r.sameOrders(), "orders identical to the uninterrupted run");
        File[] zips = dir.toFile().listFiles((d, n) -> n.endsWith(".zip"));
        assertEquals(2, zips.length, "keepLast(2)");
    }

    @Test
    void exactDataParallelTrainsBothOrderingsFromTheSameStart() {
        ExactDataParallel.Result r = ExactDataParallel.run(TRAIN, 6, 3, 4, 8, 4);
        for (List<EpochStats> run : List.of(r.cdGrab(), r.dRr())) {
            assertEquals(4, run.size());
            for (EpochStats s : run) {
                assertEquals(240, s.examples(), "every example once per epoch");
                assertTrue(Double.isFinite(s.meanBatchLoss()));
            }
            assertTrue(run.get(3).meanBatchLoss() < run.get(0).meanBatchLoss(), "loss falls: " + run);
        }
        assertTrue(r.cdGrab().get(3).messages() > 0, "CD-GraB's workers report to the coordinator");
        assertEquals(0, r.dRr().get(3).messages(), "D-RR sends nothing");
        assertEquals(r.cdGrab().get(0).meanBatchLoss(), r.dRr().get(0).meanBatchLoss(), 0.0,
                "epoch 0 is the same seeded random order from the same initial weights");
    }
}
