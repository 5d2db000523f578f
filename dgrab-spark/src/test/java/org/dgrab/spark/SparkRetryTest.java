package org.dgrab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.dgrab.core.OrderingConfig;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A task that fails once is retried by Spark (local[4,2]: two attempts per task) and the orders do not change:
 * the failed attempt's reports never reach the driver, the retry's do, once.
 */
class SparkRetryTest {
    /** Calls of worker 1's listener in this JVM (local mode: every task runs here). */
    static final AtomicInteger CALLS = new AtomicInteger();
    static final AtomicInteger FAILURES = new AtomicInteger();

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestData.context("local[4,2]", "dgrab-spark retry test");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Throws once, at worker 1's 7th step (epoch 0), on the task's first attempt. */
    static final class FailOnceListener extends BaseTrainingListener implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public void onGradientCalculation(Model model) {
            TaskContext task = TaskContext.get();
            if (task.partitionId() == 1 && task.attemptNumber() == 0 && CALLS.incrementAndGet() == 7) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure of worker 1's task");
            }
        }
    }

    private static List<int[][]> run(boolean fail, List<SparkEpochStats> stats) {
        JavaRDD<DataSet> data = sc.parallelize(SparkTestData.examples(4 * 4 * 6, 21), 4);
        MultiLayerNetwork net = SparkTestData.mlp(4);
        OrderingConfig cfg = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSeed(3).optSketchDim(16).build();
        SparkTrainerBuilder b = SparkOrderedTrainer.builder().setContext(sc).setModel(net).setOrdering(cfg)
                .setData(data).optBatchSize(4).optAveragingFrequency(2);
        if (fail) {
            b.optListeners(new FailOnceListener());
        }
        List<int[][]> orders = new ArrayList<>();
        try (SparkOrderedTrainer t = b.build()) {
            for (int e = 0; e < 3; e++) {
                orders.add(t.orders());
                stats.add(t.fitEpoch());
            }
            orders.add(t.orders());
        }
        return orders;
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheOrdersAreUnaffected() {
        List<SparkEpochStats> clean = new ArrayList<>();
        List<SparkEpochStats> faulty = new ArrayList<>();
        List<int[][]> expected = run(false, clean);
        List<int[][]> actual = run(true, faulty);
        assertEquals(1, FAILURES.get(), "the injected failure happened once");
        for (int e = 0; e < expected.size(); e++) {
            assertArrayEquals(expected.get(e), actual.get(e), "orders of epoch " + e);
        }
        for (int e = 0; e < clean.size(); e++) {
            assertEquals(clean.get(e).reports(), faulty.get(e).reports());
            assertTrue(faulty.get(e).fallbackWorkers().isEmpty());
            assertEquals(clean.get(e).meanBatchLoss(), faulty.get(e).meanBatchLoss(), 1e-6);
        }
    }
}
