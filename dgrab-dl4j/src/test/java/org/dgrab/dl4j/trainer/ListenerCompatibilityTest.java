package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.learning.config.Nesterovs;

/** The trainer fires the model's own DL4J listeners as {@code fit} would. */
class ListenerCompatibilityTest {

    @Test
    void statsCheckpointAndScoreListenersSeeEveryIterationAndEpoch(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = TestData.mlp(5, 8, 3, new Nesterovs(0.05, 0.9), 3);
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        List<String> events = new ArrayList<>();
        File ckpt = dir.toFile();
        net.setListeners(new StatsListener(storage, 1), new ScoreIterationListener(1),
                new CheckpointListener.Builder(ckpt).saveEveryEpoch().keepAll().build(),
                new BaseTrainingListener() {
                    @Override
                    public void iterationDone(Model model, int iteration, int epoch) {
                        events.add("it" + iteration + "@" + epoch);
                    }

                    @Override
                    public void onEpochStart(Model model) {
                        events.add("start");
                    }

                    @Override
                    public void onEpochEnd(Model model) {
                        events.add("end");
                    }
                });
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net)
                .setData(ExampleStore.of(List.of(TestData.blobs(64, 5, 3, 2)))).setOrdering(OrderingConfig.of("cd-grab", 1))
                .optWorkers(2).optBatchSize(8).build()) {
            t.fit(2);
        }
        // 64 examples, 2 workers x 8 per step: 4 steps per epoch, numbered as fit numbers them.
        assertEquals(List.of("start", "it0@0", "it1@0", "it2@0", "it3@0", "end",
                "start", "it4@1", "it5@1", "it6@1", "it7@1", "end"), events);
        assertEquals(8, net.getIterationCount());
        assertEquals(2, net.getEpochCount());

        // StatsListener recorded one update report per iteration for the session.
        List<String> sessions = storage.listSessionIDs();
        assertEquals(1, sessions.size());
        String type = storage.listTypeIDsForSession(sessions.get(0)).get(0);
        String worker = storage.listWorkerIDsForSession(sessions.get(0)).get(0);
        List<Persistable> updates = storage.getAllUpdatesAfter(sessions.get(0), type, worker, 0);
        assertEquals(8, updates.size());

        // CheckpointListener wrote loadable models after each epoch.
        File[] zips = ckpt.listFiles((d, n) -> n.endsWith(".zip"));
        assertTrue(zips != null && zips.length == 2, "two epoch checkpoints expected");
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
                new File(ckpt, CheckpointListener.lastCheckpoint(ckpt).getFilename()));
        // The last checkpoint was written after the final update, so it holds the trained parameters.
        assertArrayEquals(net.params().toFloatVector(), restored.params().toFloatVector(), 0f);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void statsListenerRecordsEveryIterationInBothModes(ExecutionMode mode) {
        // Threaded, the trained model computes no gradient itself: StatsListener must still find one to report.
        for (Model net : List.<Model>of(TestData.mlp(5, 8, 3, new Nesterovs(0.05, 0.9), 3),
                TestData.graphMlp(5, 8, 3, new Nesterovs(0.05, 0.9), 3))) {
            InMemoryStatsStorage storage = new InMemoryStatsStorage();
            StatsListener stats = new StatsListener(storage, 1);
            if (net instanceof MultiLayerNetwork) {
                ((MultiLayerNetwork) net).setListeners(stats);
            } else {
                ((org.deeplearning4j.nn.graph.ComputationGraph) net).setListeners(stats);
            }
            try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net)
                    .setData(ExampleStore.of(List.of(TestData.blobs(32, 5, 3, 2))))
                    .setOrdering(OrderingConfig.of("cd-grab", 1)).optWorkers(2).optBatchSize(8).optExecution(mode).build()) {
                t.fit(1);
            }
            String session = storage.listSessionIDs().get(0);
            String type = storage.listTypeIDsForSession(session).get(0);
            String worker = storage.listWorkerIDsForSession(session).get(0);
            List<Persistable> updates = storage.getAllUpdatesAfter(session, type, worker, 0);
            assertEquals(2, updates.size(), mode + " " + net.getClass().getSimpleName());
        }
    }
}
