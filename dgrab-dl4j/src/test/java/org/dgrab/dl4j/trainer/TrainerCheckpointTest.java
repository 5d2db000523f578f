package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Trainer checkpoints as DL4J model zips: readable by {@link ModelSerializer}, checked completely before anything
 * is restored (model configuration, every field), interchangeable between execution modes, and refused after a
 * failed step.
 */
class TrainerCheckpointTest {
    private static final DataSet ALL = TestData.blobs(36, 4, 3, 71);

    private static DataParallelTrainer trainer(Model net, ExecutionMode mode) {
        return DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(List.of(ALL)))
                .setOrdering(OrderingConfig.of("cd-grab", 5)).optWorkers(3).optBatchSize(3).optExecution(mode).build();
    }

    private static MultiLayerNetwork model() {
        return TestData.mlp(4, 5, 3, new Nesterovs(0.05, 0.9), 8);
    }

    private static byte[] save(DataParallelTrainer t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.save(out);
        return out.toByteArray();
    }

    private static byte[] midEpochCheckpoint(Model net) throws IOException {
        try (DataParallelTrainer t = trainer(net, ExecutionMode.SEQUENTIAL)) {
            for (int s = 0; s < t.stepsPerEpoch() + 2; s++) {
                t.step();
            }
            return save(t);
        }
    }

    @Test
    void dl4jReadsTheCheckpointAsAModel() throws IOException {
        MultiLayerNetwork net = model();
        byte[] checkpoint = midEpochCheckpoint(net);
        MultiLayerNetwork read = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(checkpoint), true);
        TestData.assertSameTrainingState(net, read);
        assertArrayEquals(net.getUpdater().getStateViewArray().toFloatVector(),
                read.getUpdater().getStateViewArray().toFloatVector(), 0f);

        ComputationGraph graph = TestData.graphMlp(4, 5, 3, new Adam(0.01), 3);
        ComputationGraph readGraph = ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(midEpochCheckpoint(graph)), true);
        TestData.assertSameTrainingState(graph, readGraph);
    }

    @Test
    void sequentialAndThreadedCheckpointsLoadIntoEachOther() throws IOException {
        MultiLayerNetwork uninterrupted = model();
        try (DataParallelTrainer t = trainer(uninterrupted, ExecutionMode.SEQUENTIAL)) {
            t.fit(2);
        }
        for (ExecutionMode[] modes : new ExecutionMode[][] {
                {ExecutionMode.SEQUENTIAL, ExecutionMode.THREADED}, {ExecutionMode.THREADED, ExecutionMode.SEQUENTIAL}}) {
            byte[] checkpoint;
            try (DataParallelTrainer t = trainer(model(), modes[0])) {
                for (int s = 0; s < t.stepsPerEpoch() + 1; s++) {
                    t.step();
                }
                checkpoint = save(t);
            }
            MultiLayerNetwork resumed = model();
            try (DataParallelTrainer t = trainer(resumed, modes[1])) {
                t.restore(new ByteArrayInputStream(checkpoint));
                t.fitEpoch();
                assertEquals(2, t.epoch());
            }
            TestData.assertSameTrainingState(uninterrupted, resumed);
        }
    }

    @Test
    void anotherModelConfigurationWithTheSameParameterCountIsRefusedAndNothingChanges() throws IOException {
        // Same shapes, other updater and activation: only the configuration tells them apart.
        byte[] other = midEpochCheckpoint(TestData.mlp(4, 5, 3, new Adam(0.1), 8));
        MultiLayerNetwork net = model();
        try (DataParallelTrainer t = trainer(net, ExecutionMode.SEQUENTIAL)) {
            t.step();
            float[] params = TestData.params(net);
            int[] order = t.ordering().order(0);
            IOException e = assertThrows(IOException.class, () -> t.restore(new ByteArrayInputStream(other)));
            assertTrue(e.getMessage().contains("configuration differs"), e.getMessage());
            assertUnchanged(t, net, params, order, 0, 1);
            // And the trainer goes on from where it was.
            t.restore(new ByteArrayInputStream(midEpochCheckpoint(model())));
            assertEquals(1, t.epoch());
        }
    }

    @Test
    void aModelThatCannotBeReadChangesNothing() throws IOException {
        byte[] checkpoint = midEpochCheckpoint(model());
        byte[] broken = rewrite(checkpoint, "coefficients.bin", bytes -> new byte[] {1, 2, 3});
        MultiLayerNetwork net = model();
        try (DataParallelTrainer t = trainer(net, ExecutionMode.SEQUENTIAL)) {
            t.step();
            float[] params = TestData.params(net);
            int[] order = t.ordering().order(0);
            IOException e = assertThrows(IOException.class, () -> t.restore(new ByteArrayInputStream(broken)));
            assertTrue(e.getMessage().contains("no readable MultiLayerNetwork"), e.getMessage());
            assertUnchanged(t, net, params, order, 0, 1);
        }
    }

    @Test
    void everyFieldIsCheckedBeforeAnythingChanges() throws IOException {
        byte[] checkpoint = midEpochCheckpoint(model());
        String[][] bad = {{"position", "999", "position = 999 is outside [0, 3]"}, {"position", "-1", "outside"},
                {"position", "x", "not an integer"}, {"examples", "-3", "examples"}, {"lossSum", "", "lossSum"},
                {"epochSeconds", "-2", "seconds"}, {"format", "dgrab-trainer-9", "unsupported"},
                {"format", "dgrab-trainer-2", "expected " + TrainerCheckpoint.FORMAT + " (dgrab-trainer-2 stored the "
                        + "configuration as one line of text"},
                {"config.workers", "4", "the checkpoint has workers=4, this trainer has workers=3"},
                {"config.legacy", "x", "the checkpoint has legacy=x, this trainer has legacy=(none)"}};
        MultiLayerNetwork net = model();
        try (DataParallelTrainer t = trainer(net, ExecutionMode.SEQUENTIAL)) {
            float[] params = TestData.params(net);
            int[] order = t.ordering().order(0);
            for (String[] b : bad) {
                byte[] edited = rewrite(checkpoint, TrainerCheckpoint.PROPERTIES, bytes -> setProperty(bytes, b[0], b[1]));
                IOException e = assertThrows(IOException.class, () -> t.restore(new ByteArrayInputStream(edited)),
                        b[0] + "=" + b[1]);
                assertTrue(e.getMessage().contains(b[2]), e.getMessage());
                assertUnchanged(t, net, params, order, 0, 0);
            }
        }
    }

    @Test
    void theFormatThatNestedTheModelIsRefusedByName() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : List.of("trainer.properties", "ordering.bin", "model.zip")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.closeEntry();
            }
        }
        try (DataParallelTrainer t = trainer(model(), ExecutionMode.SEQUENTIAL)) {
            IOException e = assertThrows(IOException.class, () -> t.restore(new ByteArrayInputStream(out.toByteArray())));
            assertTrue(e.getMessage().contains("dgrab-trainer-1") && e.getMessage().contains(TrainerCheckpoint.FORMAT),
                    e.getMessage());
        }
    }

    @Test
    void saveIsRefusedAfterAFailedSynchronousStepUntilARestore(@TempDir Path dir) throws IOException {
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(TestData.logreg(4, 3, new Sgd(0.1), 1))
                .setData(ExampleStore.of(List.of(BadInputTest.withNaN()))).setOrdering(OrderingConfig.of("cd-grab", 0))
                .optWorkers(2).optBatchSize(4).optGranularity(Granularity.BATCH).optAsyncOrdering(false).build()) {
            Path file = dir.resolve("ckpt.zip");
            t.save(file);
            byte[] start = Files.readAllBytes(file);
            assertThrows(NonFiniteGradientException.class, () -> t.fit(1));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.save(file));
            assertTrue(e.getMessage().contains("restore the last good checkpoint") && e.getMessage().contains("failed"),
                    e.getMessage());
            assertArrayEquals(start, Files.readAllBytes(file), "the last good checkpoint is left as it was");
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary left beside it");
            }
            // Retrying is refused too, saying which step failed and what to do.
            IllegalStateException retry = assertThrows(IllegalStateException.class, t::step);
            assertTrue(retry.getMessage().matches(".*the step at position \\d+ of epoch \\d+ failed.*")
                    && retry.getMessage().contains("restore the last checkpoint"), retry.getMessage());
            t.restore(file);
            assertEquals(0, t.position());
            // The restored state is one that can be resumed, so it may be saved again.
            assertTrue(save(t).length > 0);
        }
    }

    private static void assertUnchanged(DataParallelTrainer t, Model net, float[] params, int[] order, int epoch,
                                        int position) {
        assertArrayEquals(params, TestData.params(net), 0f, "parameters");
        assertArrayEquals(order, t.ordering().order(0), "order");
        assertEquals(epoch, t.epoch(), "epoch");
        assertEquals(position, t.position(), "position");
    }

    /** @return the zip with one entry's bytes replaced */
    private static byte[] rewrite(byte[] zipBytes, String entry, UnaryOperator<byte[]> change) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zipBytes));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(e.getName().equals(entry) ? change.apply(bytes) : bytes);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] setProperty(byte[] properties, String key, String value) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(new String(properties, StandardCharsets.ISO_8859_1)));
            p.setProperty(key, value);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.store(out, null);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
