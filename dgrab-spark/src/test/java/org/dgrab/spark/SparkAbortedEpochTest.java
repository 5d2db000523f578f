package org.dgrab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.dgrab.core.OrderingConfig;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A task that fails on every attempt (local[2,2]: Spark tries each task twice) aborts the Spark job and with it the
 * epoch, after earlier windows of that epoch have changed the parameters. The trainer says so (cause, epoch,
 * window, what to restore), refuses fitEpoch, fit and save without running another job, and goes on from the last
 * between-epoch checkpoint exactly as an uninterrupted run.
 */
class SparkAbortedEpochTest {
    /** Worker 1's steps in this JVM (local mode: every task runs here) while {@link #ARMED}. */
    static final AtomicInteger ARMED_STEPS = new AtomicInteger();
    /** Every worker's steps: a refused call must not have run a task. */
    static final AtomicInteger STEPS = new AtomicInteger();
    /** While set, worker 1's tasks fail from its 5th step on, on every attempt. */
    static volatile boolean armed;

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestData.context("local[2,2]", "dgrab-spark aborted epoch test");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Stands for a data source or a worker that keeps failing: no Spark retry gets past it. */
    static final class FailingWorker extends BaseTrainingListener implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public void onGradientCalculation(Model model) {
            STEPS.incrementAndGet();
            if (armed && TaskContext.get().partitionId() == 1 && ARMED_STEPS.incrementAndGet() > 4) {
                throw new IllegalStateException("injected failure: worker 1 cannot read its shard");
            }
        }
    }

    /** 2 workers x 8 units of 4 examples, averaging frequency 2: 4 jobs (windows) per epoch. */
    private static SparkOrderedTrainer trainer() {
        OrderingConfig cfg = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSeed(5).optSketchDim(16).build();
        return SparkOrderedTrainer.builder().setContext(sc).setModel(SparkTestData.mlp(5)).setOrdering(cfg)
                .setData(sc.parallelize(SparkTestData.examples(2 * 8 * 4, 11), 2)).optBatchSize(4)
                .optAveragingFrequency(2).optListeners(new FailingWorker()).build();
    }

    @Test
    void anAbortedEpochIsNamedRefusedWithoutASparkJobAndResumedFromTheLastCheckpoint() throws IOException {
        List<int[][]> expectedOrders = new ArrayList<>();
        INDArray expectedParams;
        try (SparkOrderedTrainer t = trainer()) {
            for (int e = 0; e < 3; e++) {
                expectedOrders.add(t.orders());
                t.fitEpoch();
            }
            expectedOrders.add(t.orders());
            expectedParams = t.model().params().dup();
        }

        try (SparkOrderedTrainer t = trainer()) {
            t.fitEpoch();
            ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
            t.save(checkpoint);
            INDArray atCheckpoint = t.model().params().dup();

            armed = true;
            SparkEpochAbortedException aborted = assertThrows(SparkEpochAbortedException.class, t::fitEpoch);
            String m = aborted.getMessage();
            assertEquals(1, aborted.epoch());
            assertEquals(4, aborted.fromStep(), m);
            assertEquals(6, aborted.toStep(), m);
            for (String part : new String[] {"epoch 1, window of steps [4, 6) of 8 (job 3 of the epoch)",
                    "injected failure: worker 1 cannot read its shard", "refuses fit, fitEpoch and save",
                    "SparkOrderedTrainer.restore(InputStream)", "at the start of epoch 1"}) {
                assertTrue(m.contains(part), "'" + part + "' in: " + m);
            }
            assertTrue(m.indexOf('\n') < 0, "one line, without Spark's stack trace: " + m);
            INDArray partial = t.model().params().dup();
            assertNotEquals(atCheckpoint, partial, "the epoch's first two windows trained before the failure");

            // Still armed: a refused call that ran a job would fail again, or change the parameters.
            int steps = STEPS.get();
            IllegalStateException refused = assertThrows(IllegalStateException.class, t::fitEpoch);
            assertSame(aborted, refused.getCause());
            for (String part : new String[] {"fitEpoch() refused, no Spark job was run",
                    "epoch 1 stopped at the window of steps [4, 6)", "injected failure: worker 1 cannot read its shard",
                    "SparkOrderedTrainer.restore(InputStream)"}) {
                assertTrue(refused.getMessage().contains(part), "'" + part + "' in: " + refused.getMessage());
            }
            IllegalStateException noFit = assertThrows(IllegalStateException.class, () -> t.fit(2));
            assertTrue(noFit.getMessage().startsWith("fit(2) refused, no Spark job was run"), noFit.getMessage());
            IllegalStateException noSave = assertThrows(IllegalStateException.class,
                    () -> t.save(new ByteArrayOutputStream()));
            assertTrue(noSave.getMessage().startsWith("save() refused")
                    && noSave.getMessage().contains("SparkOrderedTrainer.restore(InputStream)"), noSave.getMessage());
            assertEquals(steps, STEPS.get(), "no task ran for the refused calls");
            assertEquals(partial, t.model().params(), "the refused calls left the parameters as they were");
            assertEquals(1, t.epoch());

            armed = false;
            t.restore(new ByteArrayInputStream(checkpoint.toByteArray()));
            assertEquals(1, t.epoch());
            assertEquals(atCheckpoint, t.model().params());
            assertArrayEquals(expectedOrders.get(1), t.orders(), "epoch 1 after the restore");
            t.fitEpoch();
            assertArrayEquals(expectedOrders.get(2), t.orders(), "epoch 2");
            t.fitEpoch();
            assertArrayEquals(expectedOrders.get(3), t.orders(), "epoch 3");
            assertTrue(expectedParams.equalsWithEps(t.model().params(), 1e-5),
                    "parameters as after an uninterrupted run");
            t.save(new ByteArrayOutputStream());
        } finally {
            armed = false;
        }
    }
}
