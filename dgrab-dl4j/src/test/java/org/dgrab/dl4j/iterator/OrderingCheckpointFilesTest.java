package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Checkpoint files of the drop-in iterator beside DL4J's habits: DL4J's own {@code CheckpointListener} in the same
 * directory, resumed runs that keep writing there, the resume recipe with DL4J's epoch counter, and a failed
 * (non-finite) state that must not become a checkpoint.
 */
class OrderingCheckpointFilesTest {
    private static final int EPOCHS = 4;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void dl4jsCheckpointListenerAndOursKeepAllTheirFilesInOneDirectory(boolean dl4jFirst) throws IOException {
        File dir = tmp.toFile();
        MultiLayerNetwork net = net();
        OrderedDataSetIterator it = iterator(net, data());
        TrainingListener dl4j = new CheckpointListener.Builder(dir).saveEveryNEpochs(1).keepAll().build();
        TrainingListener ours = OrderingCheckpointListener.builder(dir, it).saveEveryNEpochs(1).build();
        net.addListeners(dl4jFirst ? dl4j : ours, dl4jFirst ? ours : dl4j);
        net.fit(it, 2);

        for (int n = 0; n < 2; n++) {
            File theirs = new File(dir, "checkpoint_" + n + "_MultiLayerNetwork.zip");
            File mine = new File(dir, "dgrab_checkpoint_" + n + "_MultiLayerNetwork.zip");
            assertTrue(theirs.isFile() && mine.isFile(), "both listeners' checkpoint " + n + ": " + Arrays.toString(dir.list()));
            assertFalse(OrderingCheckpoint.hasState(theirs), "DL4J's file is DL4J's");
            assertTrue(OrderingCheckpoint.hasState(mine), "ours holds the iterator state");
        }
        assertEquals("dgrab_checkpoint_1_MultiLayerNetwork.zip", OrderingCheckpointListener.lastCheckpoint(dir).getName());
        assertEquals("checkpoint_1_MultiLayerNetwork.zip", CheckpointListener.lastCheckpoint(dir).getFilename());
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(OrderingCheckpointListener.lastCheckpoint(dir), true);
        assertArrayEquals(TestData.params(net), TestData.params(restored));
    }

    @Test
    void keepLastCountsEarlierRunsAndOldNamesButNeverDl4jsFilesAndStaleTemporariesGo() throws Exception {
        File dir = tmp.toFile();
        MultiLayerNetwork net = net();
        OrderedDataSetIterator it = iterator(net, data());
        File oldName = new File(dir, "checkpoint_0_MultiLayerNetwork.zip");       // an earlier dgrab version's
        OrderingCheckpoint.save(oldName, net, it);
        File dl4js = new File(dir, "checkpoint_1_MultiLayerNetwork.zip");         // DL4J's CheckpointListener's
        ModelSerializer.writeModel(net, dl4js, true);
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path deadTemp = Files.writeString(tmp.resolve(".dgrab_checkpoint_7_MultiLayerNetwork.zip." + ended.pid()
                + "-k.tmp"), "partial, writer killed");
        Path oldTemp = Files.writeString(tmp.resolve(".checkpoint_2_MultiLayerNetwork.zip4711.tmp"), "older version's");
        Files.setLastModifiedTime(oldTemp, FileTime.from(Instant.now().minusSeconds(86_400)));
        assertEquals(oldName, OrderingCheckpointListener.lastCheckpoint(dir), "old names are read; DL4J's file is not ours");

        net.addListeners(OrderingCheckpointListener.builder(dir, it).saveEveryNEpochs(1).keepLast(2).build());
        assertFalse(Files.exists(deadTemp) || Files.exists(oldTemp), "temporaries of dead writers removed at build");
        net.fit(it, 3);
        assertEquals(List.of("checkpoint_1_MultiLayerNetwork.zip", "dgrab_checkpoint_2_MultiLayerNetwork.zip",
                "dgrab_checkpoint_3_MultiLayerNetwork.zip"), names(dir), "numbers go on after the old file, which "
                + "counts for keepLast; DL4J's file stays");

        // A resumed run writing into the same directory: keepLast holds across the two runs.
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(OrderingCheckpointListener.lastCheckpoint(dir), true);
        OrderedDataSetIterator again = iterator(resumed, data());
        OrderingCheckpoint.restore(OrderingCheckpointListener.lastCheckpoint(dir), again);
        resumed.addListeners(OrderingCheckpointListener.builder(dir, again).saveEveryNEpochs(1).keepLast(2).build());
        resumed.fit(again, 2);
        assertEquals(List.of("checkpoint_1_MultiLayerNetwork.zip", "dgrab_checkpoint_4_MultiLayerNetwork.zip",
                "dgrab_checkpoint_5_MultiLayerNetwork.zip"), names(dir));
    }

    /**
     * DL4J's habit is to checkpoint in {@code onEpochEnd}, where the epoch count is not yet incremented: resuming
     * with {@code epochs - net.getEpochCount()} then trains one epoch too many. The documented recipe counts epochs
     * by the iterator and ends exactly where an uninterrupted run does, for that file and for the listener's.
     */
    @Test
    void theResumeRecipeCountsEpochsByTheIteratorNotByDl4jsCounter() throws IOException {
        MultiLayerNetwork full = net();
        full.fit(iterator(full, data()), EPOCHS);

        File byHand = tmp.resolve("by-hand.zip").toFile();
        MultiLayerNetwork first = net();
        OrderedDataSetIterator it = iterator(first, data());
        first.addListeners(new BaseTrainingListener() {
            @Override
            public void onEpochEnd(Model model) {
                try {
                    OrderingCheckpoint.save(byHand, model, it);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, OrderingCheckpointListener.builder(tmp.toFile(), it).saveEveryNEpochs(1).build());
        first.fit(it, 2);

        for (File f : new File[] {byHand, OrderingCheckpointListener.lastCheckpoint(tmp.toFile())}) {
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(f, true);
            OrderedDataSetIterator resumed = iterator(net, data());
            OrderingCheckpoint.restore(f, resumed);
            assertEquals(2, resumed.ordering().epoch(), f.getName() + ": the iterator knows the epochs trained");
            if (f == byHand) {
                assertEquals(1, net.getEpochCount(), "DL4J's counter in onEpochEnd: one less than trained");
            }
            net.fit(resumed, EPOCHS - resumed.ordering().epoch());   // the recipe of usage.md
            assertArrayEquals(TestData.params(full), TestData.params(net), f.getName());
        }
    }

    @Test
    void aFailedStateIsRefusedAndTheLastGoodCheckpointStays() throws IOException {
        DataSet all = data();
        all.getFeatures().putScalar(20, 1, Double.NaN);   // batch 2 of 6 yields a NaN gradient
        MultiLayerNetwork net = net();
        OrderedDataSetIterator it = iterator(net, all);
        File good = tmp.resolve("good.zip").toFile();
        OrderingCheckpoint.save(good, net, it);
        byte[] before = Files.readAllBytes(good.toPath());

        RuntimeException failed = assertThrows(RuntimeException.class, () -> net.fit(it, 1));
        assertTrue(causedBy(failed, NonFiniteGradientException.class), "the fit fails on the NaN: " + failed);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> OrderingCheckpoint.save(good, net, it));
        assertTrue(refused.getMessage().contains(good.toString())
                && refused.getMessage().contains("restore the last good checkpoint"), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(good.toPath()), "the last good checkpoint is unchanged");
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count(), "nothing else written");
        }
        // The way out the message names: the last good checkpoint restores into a fresh iterator.
        OrderedDataSetIterator fresh = iterator(ModelSerializer.restoreMultiLayerNetwork(good, true), all);
        OrderingCheckpoint.restore(good, fresh);
        assertEquals(0, fresh.ordering().epoch());
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(File dir) {
        String[] names = dir.list((d, n) -> n.endsWith(".zip"));
        Arrays.sort(names);
        return List.of(names);
    }

    private static MultiLayerNetwork net() {
        return TestData.mlp(5, 6, 3, new Sgd(0.1), 9);
    }

    private static DataSet data() {
        return TestData.blobs(48, 5, 3, 11);
    }

    private static OrderedDataSetIterator iterator(MultiLayerNetwork net, DataSet all) {
        return OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(TestData.batches(all, 8)))
                .setModel(net).optOrdering(OrderingConfig.of("cd-grab", 5)).build();
    }
}
