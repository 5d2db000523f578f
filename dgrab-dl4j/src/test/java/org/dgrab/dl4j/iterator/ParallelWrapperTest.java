package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.datasets.iterator.MultipleEpochsIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * ParallelWrapper's workers are the ordering's workers: every replica trains only its own shard, every epoch visits
 * each shard once in the ordering's order, and the orders depend on gradients, not on thread timing.
 */
class ParallelWrapperTest {
    private static final DataSet ALL = TestData.blobs(96, 5, 3, 5);

    /** Records, per trained model (replica), the examples of every batch it trained, by epoch. */
    private static final class Recorder extends BaseTrainingListener {
        private final TestData.Ids ids = new TestData.Ids(ALL);
        final Map<Model, List<Integer>> byModel = new IdentityHashMap<>();

        @Override
        public synchronized void onGradientCalculation(Model m) {
            int[] ex = ids.of(((MultiLayerNetwork) m).getInput());
            List<Integer> l = byModel.computeIfAbsent(m, k -> new ArrayList<>());
            for (int e : ex) {
                l.add(e);
            }
        }
    }

    private static OrderedDataSetIterator ordered(MultiLayerNetwork net, String kind, Granularity g, int workers) {
        return OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(TestData.batches(ALL, 8)))
                .setModel(net).optOrdering(OrderingConfig.of(kind, 7)).optGranularity(g).optParallelWrapper(workers).build();
    }

    private static ParallelWrapper wrapper(MultiLayerNetwork net, int workers, int averaging,
                                           ParallelWrapper.TrainingMode mode) {
        return new ParallelWrapper.Builder<>(net).workers(workers).prefetchBuffer(0).averagingFrequency(averaging)
                .trainingMode(mode).build();
    }

    /** Runs epochs; returns per epoch the orders of every worker. */
    private static List<int[][]> train(String kind, Granularity g, int workers, ParallelWrapper.TrainingMode mode,
                                       int epochs, Recorder recorder, int[][][] shardsOut) throws Exception {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 3);
        if (recorder != null) {
            net.addListeners(recorder);
        }
        OrderedDataSetIterator it = ordered(net, kind, g, workers);
        List<int[][]> orders = new ArrayList<>();
        try (ParallelWrapper pw = wrapper(net, workers, 1, mode)) {
            for (int e = 0; e < epochs; e++) {
                int[][] o = new int[workers][];
                for (int w = 0; w < workers; w++) {
                    o[w] = it.ordering().order(w);
                }
                orders.add(o);
                if (recorder != null) {
                    recorder.byModel.clear();
                }
                pw.fit(it);
                assertEquals(e + 1, it.ordering().epoch(), "one ordering epoch per ParallelWrapper.fit");
                if (recorder != null) {
                    checkShards(recorder, it, workers, shardsOut);
                }
            }
        }
        return orders;
    }

    /** Every replica trained the examples of exactly one worker's shard, each once. */
    private static void checkShards(Recorder r, OrderedDataSetIterator it, int workers, int[][][] shardsOut) {
        assertEquals(workers, r.byModel.size(), "one model per ParallelWrapper worker trained");
        List<int[]> seen = new ArrayList<>();
        for (List<Integer> l : r.byModel.values()) {
            int[] s = l.stream().mapToInt(Integer::intValue).sorted().toArray();
            seen.add(s);
        }
        seen.sort((a, b) -> Integer.compare(a[0], b[0]));
        int total = 0;
        for (int w = 0; w < workers; w++) {
            int[] s = seen.get(w);
            total += s.length;
            assertEquals(s.length, Arrays.stream(s).distinct().count(), "a worker sees each of its examples once");
            if (shardsOut[0] == null) {
                shardsOut[0] = new int[workers][];
            }
            if (shardsOut[0][w] == null) {
                shardsOut[0][w] = s;
            }
            assertArrayEquals(shardsOut[0][w], s, "worker " + w + " trains the same shard every epoch");
        }
        assertEquals(ALL.numExamples(), total, "every example once per epoch");
    }

    @ParameterizedTest
    @CsvSource({"2, example-last-layer", "4, example-last-layer", "2, batch", "4, batch"})
    void cdGrabWorkersAreParallelWrapperWorkers(int workers, String granularity) throws Exception {
        Granularity g = Granularity.parse(granularity);
        int[][][] shards = new int[1][][];
        List<int[][]> a = train("cd-grab", g, workers, ParallelWrapper.TrainingMode.AVERAGING, 3, new Recorder(), shards);
        for (int e = 0; e < a.size(); e++) {
            for (int w = 0; w < workers; w++) {
                int[] sorted = a.get(e)[w].clone();
                Arrays.sort(sorted);
                assertArrayEquals(TestData.range(0, sorted.length), sorted, "a permutation of the shard's units");
            }
        }
        assertFalse(Arrays.deepEquals(a.get(1), a.get(2)), "CD-GraB reorders from gradients");
        // Not compared across two runs: ParallelWrapper's own training did not repeat bit for bit in our runs, so the
        // gradients (and with them CD-GraB's orders) differ from epoch 1 on. That orders depend only on the gradients,
        // whatever the threads' timing, is tested in dgrab-core (ConcurrencyTest).
    }

    @Test
    void dRrRepeatsExactlyAndChangesEveryEpoch() throws Exception {
        List<int[][]> a = train("d-rr", Granularity.EXAMPLE_LAST_LAYER, 4, ParallelWrapper.TrainingMode.AVERAGING, 3,
                new Recorder(), new int[1][][]);
        List<int[][]> b = train("d-rr", Granularity.EXAMPLE_LAST_LAYER, 4, ParallelWrapper.TrainingMode.AVERAGING, 3, null, null);
        for (int e = 0; e < a.size(); e++) {
            assertTrue(Arrays.deepEquals(a.get(e), b.get(e)), "epoch " + e);
        }
        assertFalse(Arrays.deepEquals(a.get(0), a.get(1)));
    }

    @ParameterizedTest
    @CsvSource({"mean-balance", "pair-balance"})
    void independentBaselinesWorkTheSameWay(String kind) throws Exception {
        List<int[][]> a = train(kind, Granularity.EXAMPLE_LAST_LAYER, 2, ParallelWrapper.TrainingMode.AVERAGING, 3,
                new Recorder(), new int[1][][]);
        assertNotEquals(Arrays.deepToString(a.get(1)), Arrays.deepToString(a.get(2)), kind + " reorders");
    }

    /** Per epoch, per replica, the examples it trained in training order. */
    private static final class EpochRecorder extends BaseTrainingListener {
        private final TestData.Ids ids = new TestData.Ids(ALL);
        private final OrderedDataSetIterator[] it = new OrderedDataSetIterator[1];
        final List<Map<Model, List<Integer>>> epochs = new ArrayList<>();

        @Override
        public synchronized void onGradientCalculation(Model m) {
            // Called before dgrab's listener, so the last batch of an epoch still counts for that epoch.
            int e = it[0].ordering().epoch();
            while (epochs.size() <= e) {
                epochs.add(new IdentityHashMap<>());
            }
            List<Integer> l = epochs.get(e).computeIfAbsent(m, k -> new ArrayList<>());
            for (int x : ids.of(((MultiLayerNetwork) m).getInput())) {
                l.add(x);
            }
        }

        /** @return per epoch the replicas' sequences, sorted by their first example's shard (smallest example) */
        List<List<List<Integer>>> sequences() {
            List<List<List<Integer>>> out = new ArrayList<>();
            for (Map<Model, List<Integer>> e : epochs) {
                List<List<Integer>> seqs = new ArrayList<>(e.values());
                seqs.sort((a, b) -> Integer.compare(a.stream().min(Integer::compare).get(),
                        b.stream().min(Integer::compare).get()));
                out.add(seqs);
            }
            return out;
        }
    }

    /** SHARED_GRADIENTS: every epoch in one ParallelWrapper.fit (a second fit deadlocks in DL4J 1.0.0-M2.1). */
    private static List<List<List<Integer>>> trainShared(String kind, Granularity g, int workers, int epochs)
            throws Exception {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 3);
        EpochRecorder rec = new EpochRecorder();
        net.addListeners(rec);
        OrderedDataSetIterator it = ordered(net, kind, g, workers);
        rec.it[0] = it;
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            try (ParallelWrapper pw = wrapper(net, workers, 1, ParallelWrapper.TrainingMode.SHARED_GRADIENTS)) {
                pw.fit(new MultipleEpochsIterator(epochs, it));
            }
        });
        assertEquals(epochs, it.ordering().epoch(), "every epoch ordered");
        return rec.sequences();
    }

    @ParameterizedTest
    @CsvSource({"2, cd-grab, batch", "4, cd-grab, example-last-layer", "2, d-rr, example-last-layer",
            "4, d-rr, batch"})
    void sharedGradientsWorkersAreTheOrderingsWorkers(int workers, String kind, String granularity) throws Exception {
        List<List<List<Integer>>> a = trainShared(kind, Granularity.parse(granularity), workers, 3);
        assertEquals(3, a.size());
        List<List<Integer>> shards = new ArrayList<>();
        for (int e = 0; e < a.size(); e++) {
            List<List<Integer>> seqs = a.get(e);
            assertEquals(workers, seqs.size(), "epoch " + e + ": one replica per worker");
            int total = 0;
            for (int w = 0; w < workers; w++) {
                List<Integer> sorted = new ArrayList<>(seqs.get(w));
                sorted.sort(Integer::compare);
                assertEquals(sorted.size(), sorted.stream().distinct().count(), "each example once per epoch");
                if (e == 0) {
                    shards.add(sorted);
                }
                assertEquals(shards.get(w), sorted, "epoch " + e + ": worker " + w + " trains its own shard");
                total += sorted.size();
            }
            assertEquals(ALL.numExamples(), total);
        }
        assertNotEquals(a.get(1), a.get(2), kind + " changes the orders");
        if (kind.equals("d-rr")) {
            assertEquals(a, trainShared(kind, Granularity.parse(granularity), workers, 3), "D-RR repeats exactly");
        }
    }

    @Test
    void secondSharedGradientsFitIsRefusedInsteadOfDeadlocking() throws Exception {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 3);
        OrderedDataSetIterator it = ordered(net, "cd-grab", Granularity.BATCH, 2);
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            try (ParallelWrapper pw = wrapper(net, 2, 1, ParallelWrapper.TrainingMode.SHARED_GRADIENTS)) {
                pw.fit(it);
                assertEquals(1, it.ordering().epoch());
                RuntimeException e = assertThrows(RuntimeException.class, () -> pw.fit(it));
                String m = rootMessage(e);
                assertTrue(m.contains("SHARED_GRADIENTS") && m.contains("MultipleEpochsIterator"), m);
            }
        });
        assertEquals(1, it.ordering().epoch(), "nothing was trained or lost");
    }

    @Test
    void wrapperBuiltBeforeTheIteratorIsRefusedWithAdvice() throws Exception {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 3);
        try (ParallelWrapper pw = wrapper(net, 2, 1, ParallelWrapper.TrainingMode.AVERAGING)) {
            OrderedDataSetIterator it = ordered(net, "cd-grab", Granularity.EXAMPLE_LAST_LAYER, 2);
            RuntimeException e = assertThrows(RuntimeException.class, () -> pw.fit(it));
            String m = rootMessage(e);
            assertTrue(m.contains("ParallelWrapper.fit") && m.contains("gradientListener()"), m);
        }
    }

    @Test
    void workerCountMismatchIsNamed() throws Exception {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 3);
        OrderedDataSetIterator it = ordered(net, "cd-grab", Granularity.EXAMPLE_LAST_LAYER, 4);
        try (ParallelWrapper pw = wrapper(net, 2, 1, ParallelWrapper.TrainingMode.AVERAGING)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> pw.fit(it));
            String m = rootMessage(e);
            assertTrue(m.contains("workers(4)"), m);
        }
    }

    @Test
    void aPartialLastRoundIsNamedWithItsWeightAndAWholeSize() {
        // 625 mini-batches over 4 workers: 157, 156, 156, 156, so the last round is worker 0's alone.
        String m = SessionLayout.partialLastRound(new int[] {157, 156, 156, 156}, 1, "mini-batches").orElseThrow();
        assertTrue(m.contains("625 mini-batches") && m.contains("round of only 1 worker") && m.contains("4 times")
                && m.contains("624 mini-batches instead of 625"), m);
        // 2 of 4 workers in the last round: their batches count twice as much.
        assertTrue(SessionLayout.partialLastRound(new int[] {32, 32, 31, 31}, 8, "examples").isEmpty(),
                "4, 4, 4, 4 batches: the last round is whole (its batches are only smaller)");
        String two = SessionLayout.partialLastRound(new int[] {33, 33, 32, 32}, 8, "examples").orElseThrow();
        assertTrue(two.contains("round of only 2 worker") && two.contains("2 times") && two.contains("128 examples"), two);
        assertTrue(SessionLayout.partialLastRound(new int[] {156, 156, 156, 156}, 1, "mini-batches").isEmpty());
        assertTrue(SessionLayout.partialLastRound(new int[] {2500, 2500, 2500, 2500}, 16, "examples").isEmpty(),
                "10,000 examples, 4 workers, 16 per batch: 157 batches each, the last ones of 4 examples");
    }

    static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
