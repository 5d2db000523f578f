package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.datasets.iterator.file.FileDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ExistingMiniBatchDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Pre-saved mini-batch files are ordered as whole files and loaded when served: training equals training on the
 * same batches in memory, the files' pre-processor runs on every load, resume is bit-identical, and a missing or
 * damaged file is named.
 */
class FileBatchSourceTest {
    private static final DataSet ALL = TestData.blobs(48, 5, 3, 11);
    private static final List<DataSet> BATCHES = TestData.batches(ALL, 8);

    @TempDir
    Path dir;

    private File save(String pattern) throws Exception {
        File root = dir.resolve("batches").toFile();
        root.mkdirs();
        for (int i = 0; i < BATCHES.size(); i++) {
            BATCHES.get(i).save(new File(root, String.format(pattern, i)));
        }
        return root;
    }

    private static OrderedDataSetIterator wrap(DataSetIterator source, MultiLayerNetwork net) {
        return OrderedDataSetIterator.builder().setSource(source).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 5)).build();
    }

    private static float[] trainedInMemory(int epochs) {
        MultiLayerNetwork ref = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        ref.fit(OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(BATCHES)).setModel(ref)
                .optOrdering(OrderingConfig.of("cd-grab", 5)).optGranularity(Granularity.BATCH).build(), epochs);
        return TestData.params(ref);
    }

    @Test
    void existingMiniBatchFilesTrainAsTheSameBatchesInMemory() throws Exception {
        File root = save(ExistingMiniBatchDataSetIterator.DEFAULT_PATTERN);
        ExistingMiniBatchDataSetIterator files = new ExistingMiniBatchDataSetIterator(root);
        AtomicInteger loads = new AtomicInteger();
        files.setPreProcessor(d -> loads.incrementAndGet());
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(files, net);
        assertTrue(it.source().onDemand());
        assertEquals(-1, it.source().examples(), "files are served whole");
        assertEquals(8, it.batch());
        assertEquals(5, it.inputColumns());
        assertEquals(3, it.totalOutcomes());
        net.fit(it, 3);
        assertArrayEquals(trainedInMemory(3), TestData.params(net), 0f);
        assertTrue(loads.get() >= 3 * BATCHES.size(), "the files' pre-processor ran on every load: " + loads.get());
    }

    @Test
    void fileDataSetIteratorFilesAreOrderedByPath() throws Exception {
        File root = save("batch-%d.bin");
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(new FileDataSetIterator(root), net);
        net.fit(it, 2);
        assertArrayEquals(trainedInMemory(2), TestData.params(net), 0f);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> wrap(new FileDataSetIterator(root, 16), net).hasNext());
        assertTrue(e.getMessage().contains("re-batches its files to 16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OrderedDataSetIterator.builder()
                .setSource(new FileDataSetIterator(root)).setModel(net).optGranularity(Granularity.EXAMPLE_LAST_LAYER).build());
        assertTrue(e.getMessage().contains("Granularity.BATCH"), e.getMessage());
    }

    @Test
    void resumeFromACheckpointIsBitIdentical() throws Exception {
        File root = save(ExistingMiniBatchDataSetIterator.DEFAULT_PATTERN);
        MultiLayerNetwork first = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(new ExistingMiniBatchDataSetIterator(root), first);
        first.fit(it, 1);
        File ckpt = dir.resolve("ckpt.zip").toFile();
        OrderingCheckpoint.save(ckpt, first, it);
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(ckpt, true);
        OrderedDataSetIterator again = wrap(new ExistingMiniBatchDataSetIterator(root), resumed);
        OrderingCheckpoint.restore(ckpt, again);
        resumed.fit(again, 2);
        assertArrayEquals(trainedInMemory(3), TestData.params(resumed), 0f);
    }

    @Test
    void aMissingOrDamagedFileIsNamed() throws Exception {
        File root = save(ExistingMiniBatchDataSetIterator.DEFAULT_PATTERN);
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(new ExistingMiniBatchDataSetIterator(root), net);
        net.fit(it, 1);
        File damaged = new File(root, "dataset-2.bin");
        byte[] bytes = Files.readAllBytes(damaged.toPath());
        Files.write(damaged.toPath(), Arrays.copyOf(bytes, bytes.length / 2));
        RuntimeException e = assertThrows(RuntimeException.class, () -> net.fit(it, 1));
        assertTrue(e.getMessage().contains(damaged.getPath()) && e.getMessage().contains("cannot be read as a DataSet"),
                e.getMessage());

        File gone = new File(root, "dataset-4.bin");
        Files.delete(gone.toPath());
        e = assertThrows(IllegalArgumentException.class, () -> wrap(new ExistingMiniBatchDataSetIterator(root), net).hasNext());
        assertTrue(e.getMessage().contains(gone.getPath()) && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void onDemandFilesAreSafeInsideAsyncDataSetIteratorAndParallelWrapper() throws Exception {
        File root = save(ExistingMiniBatchDataSetIterator.DEFAULT_PATTERN);
        // AsyncDataSetIterator prefetching from the wrapper, which prefetches from the files: same training.
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(new ExistingMiniBatchDataSetIterator(root), net);
        net.fit(new org.deeplearning4j.datasets.iterator.AsyncDataSetIterator(it, 3), 3);
        assertEquals(3, it.ordering().epoch());
        assertArrayEquals(trainedInMemory(3), TestData.params(net), 0f);

        // ParallelWrapper's two workers as the ordering's two workers, each with its own files.
        MultiLayerNetwork pwNet = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator pwIt = OrderedDataSetIterator.builder().setSource(new ExistingMiniBatchDataSetIterator(root))
                .setModel(pwNet).optOrdering(OrderingConfig.of("cd-grab", 5)).optParallelWrapper(2).build();
        try (org.deeplearning4j.parallelism.ParallelWrapper pw = new org.deeplearning4j.parallelism.ParallelWrapper
                .Builder<>(pwNet).workers(2).prefetchBuffer(0).averagingFrequency(1).build()) {
            for (int e = 0; e < 2; e++) {
                pw.fit(pwIt);
            }
        }
        assertEquals(2, pwIt.ordering().epoch(), "both epochs ordered from the workers' gradients");
    }
}
