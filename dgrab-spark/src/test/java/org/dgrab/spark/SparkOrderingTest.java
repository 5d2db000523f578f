package org.dgrab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.dl4j.Granularity;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Spark path against the in-process strategies: orders, sketches, missing reports, checkpoints, bad input. One
 * local[4] context for the class.
 */
class SparkOrderingTest {
    private static final int BATCH = 4;
    /** Uneven shards, in units: 13/12/11/12 mini-batches of 4. */
    private static final int[] UNITS = {13, 12, 11, 12};
    private static final int K = 16;
    private static final long SEED = 7;

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestData.context("local[4]", "dgrab-spark ordering test");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Partition w holds UNITS[w] * BATCH single examples. */
    private static JavaRDD<DataSet> unevenShards() {
        List<DataSet> all = SparkTestData.examples(BATCH * (13 + 12 + 11 + 12), 3);
        List<List<DataSet>> shards = new ArrayList<>();
        int pos = 0;
        for (int m : UNITS) {
            shards.add(new ArrayList<>(all.subList(pos, pos + m * BATCH)));
            pos += m * BATCH;
        }
        return sc.parallelize(shards, UNITS.length).flatMap(List::iterator);
    }

    private static OrderingConfig cdGrab() {
        return OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSeed(SEED).optSketchDim(K).build();
    }

    private static SparkTrainerBuilder builder(MultiLayerNetwork net, OrderingConfig cfg) {
        return SparkOrderedTrainer.builder().setContext(sc).setModel(net).setOrdering(cfg).setData(unevenShards())
                .optWorkers(4).optBatchSize(BATCH);
    }

    private static Map<ReportKey, INDArray> byKey(List<StepReport> reports) {
        Map<ReportKey, INDArray> m = new HashMap<>();
        for (StepReport r : reports) {
            m.put(r.key(), r.vector());
        }
        return m;
    }

    @Test
    void sketchedReportsOnTheDriverGiveTheOrdersOfInProcessCdGrab() {
        ReportAccumulator gradients = new ReportAccumulator();
        sc.sc().register(gradients, "test gradients");
        List<int[][]> sparkOrders = new ArrayList<>();
        List<SparkEpochStats> stats = new ArrayList<>();
        try (SparkOrderedTrainer t = builder(SparkTestData.mlp(1), cdGrab()).optCaptureGradients(gradients).build()) {
            assertArrayEquals(UNITS, t.unitsPerWorker());
            assertEquals(K, t.sketchDim());
            for (int e = 0; e < 3; e++) {
                sparkOrders.add(t.orders());
                stats.add(t.fitEpoch());
            }
            sparkOrders.add(t.orders());
        }
        Map<ReportKey, INDArray> g = byKey(gradients.drain());
        assertEquals(3 * 48, g.size(), "one full gradient per step of every worker");
        // The same sketch in process, fed the same gradients in the same per-worker step order.
        try (OrderingStrategy s = cdGrab().create(UNITS)) {
            for (int e = 0; e < 3; e++) {
                for (int w = 0; w < UNITS.length; w++) {
                    assertArrayEquals(s.order(w), sparkOrders.get(e)[w], "epoch " + e + " worker " + w);
                }
                for (int step = 0; step < 13; step++) {
                    for (int w = 0; w < UNITS.length; w++) {
                        if (step < UNITS[w]) {
                            s.observe(w, step, g.get(new ReportKey(e, w, step)));
                        }
                    }
                }
                s.endEpoch();
            }
            for (int w = 0; w < UNITS.length; w++) {
                assertArrayEquals(s.order(w), sparkOrders.get(3)[w], "epoch 3 worker " + w);
            }
        }
        for (int w = 0; w < UNITS.length; w++) {
            assertNotEquals(java.util.Arrays.toString(sparkOrders.get(1)[w]),
                    java.util.Arrays.toString(sparkOrders.get(2)[w]), "CD-GraB reorders worker " + w);
        }
        for (SparkEpochStats s : stats) {
            assertEquals(48, s.reports());
            assertEquals(13, s.jobs(), "W = 1: one job per step");
            assertEquals(48L * (StepReport.HEADER_BYTES + 4 * K), s.reportBytes());
            assertEquals(0, s.duplicates());
            assertTrue(s.fallbackWorkers().isEmpty());
            assertEquals(48 * BATCH, s.examples());
            assertTrue(Double.isFinite(s.meanBatchLoss()) && s.meanBatchLoss() > 0);
        }
    }

    @Test
    void aWorkerWithMissingReportsFallsBackToDrrForThatEpoch() {
        ReportAccumulator gradients = new ReportAccumulator();
        sc.sc().register(gradients, "test gradients");
        List<int[][]> sparkOrders = new ArrayList<>();
        List<SparkEpochStats> stats = new ArrayList<>();
        try (SparkOrderedTrainer t = builder(SparkTestData.mlp(1), cdGrab()).optCaptureGradients(gradients)
                .optDropReports(k -> k.epoch() == 0 && k.worker() == 2 && k.step() == 5).build()) {
            for (int e = 0; e < 3; e++) {
                sparkOrders.add(t.orders());
                stats.add(t.fitEpoch());
            }
        }
        assertEquals(List.of(2), stats.get(0).fallbackWorkers());
        assertEquals(47, stats.get(0).reports());
        assertTrue(stats.get(1).fallbackWorkers().isEmpty());
        assertArrayEquals(Permutations.random(SEED, 1, 2, UNITS[2]), sparkOrders.get(1)[2],
                "worker 2 visits D-RR's order in epoch 1");
        for (int[][] o : sparkOrders) {
            for (int[] w : o) {
                assertTrue(Permutations.isPermutation(w));
            }
        }
        // The other workers keep CD-GraB's orders: the missing report counts as a zero vector (no change to the sum).
        Map<ReportKey, INDArray> g = byKey(gradients.drain());
        try (OrderingStrategy s = cdGrab().create(UNITS)) {
            for (int step = 0; step < 13; step++) {
                for (int w = 0; w < UNITS.length; w++) {
                    if (step < UNITS[w]) {
                        INDArray v = g.get(new ReportKey(0, w, step));
                        s.observe(w, step, v != null ? v : Nd4j.zeros(v == null ? g.values().iterator().next().dataType()
                                : v.dataType(), 83));
                    }
                }
            }
            s.endEpoch();
            for (int w : new int[] {0, 1, 3}) {
                assertArrayEquals(s.order(w), sparkOrders.get(1)[w], "worker " + w);
            }
        }
    }

    @Test
    void aCheckpointResumesWithTheSameOrdersAndModel() throws IOException {
        byte[] checkpoint;
        List<int[][]> after = new ArrayList<>();
        INDArray savedParams;
        INDArray finalParams;
        try (SparkOrderedTrainer t = builder(SparkTestData.mlp(2), cdGrab()).build()) {
            t.fitEpoch();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            t.save(b);
            checkpoint = b.toByteArray();
            savedParams = t.model().params().dup();
            for (int e = 0; e < 2; e++) {
                after.add(t.orders());
                t.fitEpoch();
            }
            after.add(t.orders());
            finalParams = t.model().params().dup();
        }
        MultiLayerNetwork other = SparkTestData.mlp(2);
        other.params().addi(1.0);
        try (SparkOrderedTrainer t = builder(other, cdGrab()).build()) {
            t.restore(new ByteArrayInputStream(checkpoint));
            assertEquals(1, t.epoch());
            assertEquals(savedParams, t.model().params());
            for (int e = 0; e < 2; e++) {
                assertArrayEquals(after.get(e), t.orders(), "epoch " + (e + 1));
                t.fitEpoch();
            }
            assertArrayEquals(after.get(2), t.orders(), "epoch 3");
            assertTrue(finalParams.equalsWithEps(t.model().params(), 1e-5));
        }
        String[][] refusals = {{"kind", "cd-grab", "d-rr"}, {"seed", "7", "8"}, {"averagingFrequency", "1", "2"}};
        SparkTrainerBuilder[] others = {builder(SparkTestData.mlp(2), OrderingConfig.of("d-rr", SEED)),
                builder(SparkTestData.mlp(2), cdGrab().withSeed(SEED + 1)),
                builder(SparkTestData.mlp(2), cdGrab()).optAveragingFrequency(2)};
        for (int i = 0; i < others.length; i++) {
            String[] f = refusals[i];
            try (SparkOrderedTrainer t = others[i].build()) {
                IOException e = assertThrows(IOException.class, () -> t.restore(new ByteArrayInputStream(checkpoint)));
                assertTrue(e.getMessage().startsWith("checkpoint is of another configuration: " + f[0] + " differs, the "
                        + "checkpoint has " + f[0] + "=" + f[1] + ", this Spark trainer has " + f[0] + "=" + f[2]),
                        e.getMessage());
                assertEquals(0, t.epoch(), "a refused checkpoint changes nothing");
            }
        }
    }

    @Test
    void badInputIsRefusedWithWhatAndWhere() {
        JavaRDD<DataSet> three = sc.parallelize(SparkTestData.examples(30, 1), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkOrderedTrainer.builder()
                .setContext(sc).setModel(SparkTestData.mlp(1)).setOrdering(cdGrab()).setData(three).optWorkers(4)
                .build());
        assertTrue(e.getMessage().contains("has 3 partitions") && e.getMessage().contains("(4)"), e.getMessage());
        // 48 examples in each of 2 shards are 9 full batches of 5 and a batch of 3: no room for local SGD.
        JavaRDD<DataSet> two = sc.parallelize(SparkTestData.examples(96, 1), 2);
        e = assertThrows(IllegalArgumentException.class, () -> SparkOrderedTrainer.builder().setContext(sc)
                .setModel(SparkTestData.mlp(1)).setOrdering(cdGrab()).setData(two).optBatchSize(5)
                .optAveragingFrequency(2).build());
        assertTrue(e.getMessage().contains("needs full batches of 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkOrderedTrainer.builder()
                .optGranularity(Granularity.EXAMPLE_LAST_LAYER));
        assertTrue(e.getMessage().contains("batch units only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkOrderedTrainer.builder().setContext(sc)
                .setModel(SparkTestData.mlp(1)).setOrdering(cdGrab()).setData(two).optSketchDim(8).build());
        assertTrue(e.getMessage().contains("sketches to 16, but optSketchDim asks for 8"), e.getMessage());
    }

    @Test
    void theDefaultSketchKeepsReportsUnderOnePercentOfTheGradient() {
        for (long d : new long[] {10_000, 101_770, 1_000_000}) {
            int k = SparkTrainerBuilder.defaultSketchDim(d, 4);
            assertTrue(StepReport.HEADER_BYTES + 4L * k <= d * 4 / 100, "d = " + d);
            assertTrue(StepReport.HEADER_BYTES + 4L * (k + 1) > d * 4 / 100, "largest k for d = " + d);
        }
        assertEquals(1, SparkTrainerBuilder.defaultSketchDim(50, 4), "at least 1");
    }

    /** Spark serialises a task's partition into the task: the iterator path's partitions must not hold the shards. */
    @Test
    void aShardFromAnIteratorIsNotShippedWithEveryTask() throws IOException {
        List<DataSet> examples = SparkTestData.examples(400, 5);
        ShardedUnits units = ShardedUnits.parallelize(sc, new ExistingDataSetIterator(examples), 4, BATCH, SEED);
        try {
            assertArrayEquals(new int[] {25, 25, 25, 25}, units.units());
            long shard = javaBytes(new ArrayList<>(examples.subList(0, 100)));
            for (Partition p : units.rdd().partitions()) {
                long task = javaBytes(p);
                assertTrue(task * 20 < shard, "partition " + p.index() + " serialises to " + task
                        + " bytes, its shard to " + shard + ": the shard would travel with every task");
            }
        } finally {
            units.release();
        }
    }

    private static long javaBytes(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.size();
    }
}
