package org.dgrab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.dgrab.core.OrderingConfig;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.data.BatchAndExportDataSetsFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Training from exported {@code DataSet} files ({@link SparkTrainerBuilder#setDataPaths}): the executors load their
 * shard's files, the driver holds only paths. Same files, same seed, same shards: the same orders and losses as the
 * in-memory path; a missing, damaged or oversized file fails its task with the path named and the trainer then
 * refuses to go on until a checkpoint is restored; a checkpoint resumes as an uninterrupted run.
 */
class SparkFilePathsTest {
    private static final int WORKERS = 2;
    private static final int BATCH = 4;
    private static final int UNITS = 4;
    private static final int EPOCHS = 3;
    private static final OrderingConfig CFG =
            OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSeed(5).optSketchDim(16).build();

    private static JavaSparkContext sc;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        // local[2]: no task retries, so a task that fails once aborts its job.
        sc = SparkTestData.context("local[2]", "dgrab-spark exported files test");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static List<DataSet> examples() {
        return SparkTestData.examples(WORKERS * UNITS * BATCH, 21);
    }

    private List<List<String>> export(String folder) throws IOException {
        return ExportedShards.export(new ExistingDataSetIterator(examples()), tmp.resolve(folder), WORKERS, BATCH);
    }

    private static SparkOrderedTrainer fromFiles(List<List<String>> files, MultiLayerNetwork net, int batch) {
        return SparkOrderedTrainer.builder().setContext(sc).setModel(net).setOrdering(CFG)
                .setDataPaths(ExportedShards.paths(sc, files)).optBatchSize(batch).build();
    }

    @Test
    void exportedFilesTrainLikeTheInMemoryPathAndResumeFromACheckpoint() throws IOException {
        MultiLayerNetwork initial = SparkTestData.mlp(7);
        List<int[][]> orders = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        try (SparkOrderedTrainer t = SparkOrderedTrainer.builder().setContext(sc).setModel(initial.clone())
                .setOrdering(CFG).setData(new ExistingDataSetIterator(examples())).optWorkers(WORKERS)
                .optBatchSize(BATCH).build()) {
            for (int e = 0; e < EPOCHS; e++) {
                orders.add(t.orders());
                losses.add(t.fitEpoch().meanBatchLoss());
            }
        }

        List<List<String>> files = export("export");
        for (int w = 0; w < WORKERS; w++) {
            assertEquals(UNITS, files.get(w).size());
            for (int j = 0; j < UNITS; j++) {
                Path f = Path.of(URI.create(files.get(w).get(j)));
                assertEquals(tmp.resolve("export").resolve("worker-" + w).resolve(String.format("batch-%06d.bin", j))
                        .toAbsolutePath(), f);
                DataSet d = new DataSet();
                d.load(f.toFile());
                assertEquals(BATCH, d.numExamples(), f.toString());
            }
        }
        Path checkpoint = tmp.resolve("after-epoch-1.zip");
        INDArray uninterrupted;
        try (SparkOrderedTrainer t = fromFiles(files, initial.clone(), BATCH)) {
            assertArrayEquals(new int[] {UNITS, UNITS}, t.unitsPerWorker());
            assertTrue(t.toString().contains("exported DataSet files"), t.toString());
            for (int e = 0; e < EPOCHS; e++) {
                assertArrayEquals(orders.get(e), t.orders(), "orders of epoch " + e);
                SparkEpochStats s = t.fitEpoch();
                assertEquals(losses.get(e), s.meanBatchLoss(), 1e-4, "loss of epoch " + e);
                assertEquals(WORKERS * UNITS * BATCH, s.examples(), "every example once");
                if (e == 0) {
                    t.save(checkpoint);
                }
            }
            uninterrupted = t.model().params().dup();
        }
        boolean reordered = false;
        for (int w = 0; w < WORKERS; w++) {
            reordered |= !java.util.Arrays.equals(orders.get(1)[w], orders.get(2)[w]);
        }
        assertTrue(reordered, "CD-GraB changed the orders, so equal orders mean equal balancing");

        try (SparkOrderedTrainer t = fromFiles(files, SparkTestData.mlp(7), BATCH)) {
            t.restore(checkpoint);
            assertEquals(1, t.epoch());
            for (int e = 1; e < EPOCHS; e++) {
                assertArrayEquals(orders.get(e), t.orders(), "orders of epoch " + e + " after the restore");
                t.fitEpoch();
            }
            assertTrue(uninterrupted.equalsWithEps(t.model().params(), 1e-5), "parameters as uninterrupted");
        }
    }

    @Test
    void filesExportedByDl4jsOwnFunctionTrainLikeTheirRdd() {
        // A DL4J user's layout: each partition (one per worker) exports its own mini-batches on the executor.
        List<DataSet> examples = examples();
        String dir = tmp.resolve("dl4j-export").toUri().toString();
        JavaRDD<String> paths = sc.parallelize(examples, WORKERS)
                .mapPartitionsWithIndex(new BatchAndExportDataSetsFunction(BATCH, dir), true);
        MultiLayerNetwork initial = SparkTestData.mlp(4);
        try (SparkOrderedTrainer inMemory = SparkOrderedTrainer.builder().setContext(sc).setModel(initial.clone())
                .setOrdering(CFG).setData(sc.parallelize(examples, WORKERS)).optBatchSize(BATCH)
                .optAveragingFrequency(2).build();
             SparkOrderedTrainer files = SparkOrderedTrainer.builder().setContext(sc).setModel(initial.clone())
                     .setOrdering(CFG).setDataPaths(paths).optBatchSize(BATCH).optAveragingFrequency(2).build()) {
            assertArrayEquals(inMemory.unitsPerWorker(), files.unitsPerWorker());
            for (int e = 0; e < 2; e++) {
                assertArrayEquals(inMemory.orders(), files.orders(), "orders of epoch " + e);
                assertEquals(inMemory.fitEpoch().meanBatchLoss(), files.fitEpoch().meanBatchLoss(), 1e-4,
                        "loss of epoch " + e);
            }
            assertTrue(inMemory.model().params().equalsWithEps(files.model().params(), 1e-5));
        }
    }

    @Test
    void aMissingFileFailsWithItsPathAndTheTrainerRefusesUntilARestore() throws IOException {
        List<List<String>> files = export("missing");
        try (SparkOrderedTrainer t = fromFiles(files, SparkTestData.mlp(3), BATCH)) {
            t.fitEpoch();
            ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
            t.save(checkpoint);
            int[][] atCheckpoint = t.orders();
            INDArray params = t.model().params().dup();
            // Worker 1's third step of epoch 1: the first two windows train before the failure.
            String gone = files.get(1).get(atCheckpoint[1][2]);
            Path file = Path.of(URI.create(gone));
            Path aside = file.resolveSibling("aside.bin");
            Files.move(file, aside);

            SparkEpochAbortedException aborted = assertThrows(SparkEpochAbortedException.class, t::fitEpoch);
            String m = aborted.getMessage();
            for (String part : new String[] {"epoch 1, window of steps [2, 3) of 4", file + " (worker 1) is missing",
                    "refuses fit, fitEpoch and save"}) {
                assertTrue(m.contains(part), "'" + part + "' in: " + m);
            }
            assertNotEquals(params, t.model().params(), "two windows of epoch 1 trained");
            IllegalStateException refused = assertThrows(IllegalStateException.class, t::fitEpoch);
            assertTrue(refused.getMessage().startsWith("fitEpoch() refused, no Spark job was run: epoch 1 stopped at "
                    + "the window of steps [2, 3)"), refused.getMessage());

            Files.move(aside, file);
            t.restore(new ByteArrayInputStream(checkpoint.toByteArray()));
            assertArrayEquals(atCheckpoint, t.orders());
            assertEquals(params, t.model().params());
            assertEquals(WORKERS * UNITS * BATCH, t.fitEpoch().examples());
        }
    }

    @Test
    void damagedAndOversizedFilesAreNamed() throws IOException {
        List<List<String>> files = export("bad");
        // Batch 2 with files of 4: DL4J would split each file over two steps.
        try (SparkOrderedTrainer t = fromFiles(files, SparkTestData.mlp(3), 2)) {
            SparkEpochAbortedException e = assertThrows(SparkEpochAbortedException.class, t::fitEpoch);
            assertTrue(e.getMessage().contains("holds 4 examples, more than the batch size 2"), e.getMessage());
            assertTrue(e.getMessage().contains("/bad/worker-"), e.getMessage());
        }
        try (SparkOrderedTrainer t = fromFiles(files, SparkTestData.mlp(3), BATCH)) {
            Path damaged = Path.of(URI.create(files.get(0).get(t.orders()[0][0])));
            byte[] bytes = Files.readAllBytes(damaged);
            Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            SparkEpochAbortedException e = assertThrows(SparkEpochAbortedException.class, t::fitEpoch);
            assertTrue(e.getMessage().contains(damaged.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("cannot be read as a DataSet"), e.getMessage());
        }
    }

    @Test
    void pathsMustHaveOnePartitionPerWorkerNoneEmpty() {
        List<String> two = List.of("file:///nowhere/a.bin", "file:///nowhere/b.bin");
        IllegalArgumentException partitions = assertThrows(IllegalArgumentException.class, () ->
                SparkOrderedTrainer.builder().setContext(sc).setModel(SparkTestData.mlp(1)).setOrdering(CFG)
                        .setDataPaths(sc.parallelize(two, 2)).optWorkers(3).build());
        assertTrue(partitions.getMessage().contains("has 2 partitions; dgrab-spark needs one per worker (3)"),
                partitions.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () ->
                SparkOrderedTrainer.builder().setContext(sc).setModel(SparkTestData.mlp(1)).setOrdering(CFG)
                        .setDataPaths(sc.parallelize(List.of("file:///nowhere/a.bin"), 2)).build());
        assertTrue(empty.getMessage().contains("partition 0 of the exported DataSet paths is empty"),
                empty.getMessage());
    }
}
