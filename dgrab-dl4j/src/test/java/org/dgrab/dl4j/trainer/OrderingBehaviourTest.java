package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.Sharding;
import org.dgrab.dl4j.internal.data.UnitLayout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * What the workers visit: every example once per epoch in the strategy's order, different orders for CD-GraB
 * and D-RR, reproducible runs, and identical results in sequential and threaded execution.
 */
class OrderingBehaviourTest {
    private static final int N = 50;
    private static final int WORKERS = 3;
    private static final int BATCH = 4;

    @Test
    void everyWorkerVisitsItsExamplesOncePerEpochInTheStrategysOrderBatchUnits() {
        checkVisits(Granularity.BATCH, Sharding.CONTIGUOUS);
    }

    @Test
    void everyWorkerVisitsItsExamplesOncePerEpochInTheStrategysOrderExampleUnits() {
        checkVisits(Granularity.EXAMPLE_LAST_LAYER, Sharding.SEEDED);
    }

    /** Records the features of every forward pass, and epoch and iteration events, on the trained model. */
    private static final class Recorder extends BaseTrainingListener {
        final List<List<INDArray>> epochs = new ArrayList<>();
        List<INDArray> current;
        int epochStarts;
        int epochEnds;
        int iterations;

        @Override
        public void onEpochStart(Model model) {
            epochStarts++;
            current = new ArrayList<>();
            epochs.add(current);
        }

        @Override
        public void onEpochEnd(Model model) {
            epochEnds++;
        }

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            // Activations live in a workspace that closes after the step: copy them out.
            current.add(activations.get(0).detach());
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            iterations++;
        }
    }

    private static void checkVisits(Granularity g, Sharding sharding) {
        DataSet all = TestData.blobs(N, 4, 3, 41);
        TestData.Ids ids = new TestData.Ids(all);
        MultiLayerNetwork net = TestData.mlp(4, 5, 3, new Nesterovs(0.05, 0.9), 2);
        Recorder rec = new Recorder();
        net.addListeners(rec);
        int epochs = 3;
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(List.of(all)))
                .setOrdering(OrderingConfig.of("cd-grab", 7)).optWorkers(WORKERS).optBatchSize(BATCH).optGranularity(g)
                // Visits are read from the trained model's forward passes; with asynchronous ordering workers 1..n-1
                // compute on replicas (AsyncOrderingTest checks that both ways train identically).
                .optSharding(sharding).optAsyncOrdering(false).build()) {
            UnitLayout layout = t.layout();
            assertEquals(WORKERS, layout.workers());
            // The shards partition the examples.
            int[] owner = new int[N];
            Arrays.fill(owner, -1);
            for (int w = 0; w < WORKERS; w++) {
                for (int u = 0; u < layout.units(w); u++) {
                    for (int e : layout.examples(w, u)) {
                        assertEquals(-1, owner[e], "example " + e + " in two units");
                        owner[e] = w;
                    }
                }
            }
            for (int e = 0; e < N; e++) {
                assertTrue(owner[e] >= 0, "example " + e + " belongs to no worker");
            }
            List<int[][]> orders = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                int[][] o = new int[WORKERS][];
                for (int w = 0; w < WORKERS; w++) {
                    o[w] = t.ordering().order(w);
                    assertTrue(Permutations.isPermutation(o[w]));
                    assertEquals(layout.units(w), o[w].length);
                }
                orders.add(o);
                EpochStats s = t.fitEpoch();
                assertEquals(N, s.examples());
                assertEquals(e, s.epoch());
                assertTrue(s.messages() > 0, "CD-GraB exchanged messages");
            }
            assertEquals(epochs, rec.epochStarts);
            assertEquals(epochs, rec.epochEnds);
            assertEquals(epochs * t.stepsPerEpoch(), rec.iterations);
            assertEquals(epochs, t.epoch());
            assertEquals(epochs, net.getEpochCount());

            for (int e = 0; e < epochs; e++) {
                // Forward passes come per step in worker order; split them back onto the workers.
                List<List<Integer>> seen = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    seen.add(new ArrayList<>());
                }
                List<INDArray> passes = rec.epochs.get(e);
                int k = 0;
                int unitsPerStep = g == Granularity.BATCH ? 1 : BATCH;
                for (int step = 0; step < t.stepsPerEpoch(); step++) {
                    for (int w = 0; w < WORKERS; w++) {
                        if (step * unitsPerStep < layout.units(w)) {
                            for (int id : ids.of(passes.get(k++))) {
                                seen.get(w).add(id);
                            }
                        }
                    }
                }
                assertEquals(passes.size(), k, "no extra forward passes in epoch " + e);
                boolean[] visited = new boolean[N];
                for (int w = 0; w < WORKERS; w++) {
                    int[] expected = layout.examples(w, orders.get(e)[w], 0, layout.units(w));
                    int[] actual = seen.get(w).stream().mapToInt(Integer::intValue).toArray();
                    assertArrayEquals(expected, actual, "worker " + w + " in epoch " + e + " follows its order");
                    for (int id : actual) {
                        assertEquals(w, owner[id], "example " + id + " visited by the wrong worker");
                        assertFalse(visited[id], "example " + id + " visited twice in epoch " + e);
                        visited[id] = true;
                    }
                }
                for (int id = 0; id < N; id++) {
                    assertTrue(visited[id], "example " + id + " not visited in epoch " + e);
                }
            }
            assertFalse(Arrays.deepEquals(orders.get(1), orders.get(2)), "CD-GraB reorders between epochs");
        }
    }

    /** Parameters and every epoch's orders of one run. */
    private record Run(float[] params, List<int[][]> orders) {
    }

    private static Run run(String ordering, long seed, Granularity g, ExecutionMode mode, int epochs) {
        return run(ordering, seed, g, mode, epochs, WORKERS);
    }

    private static Run run(String ordering, long seed, Granularity g, ExecutionMode mode, int epochs, int workers) {
        DataSet all = TestData.blobs(N, 4, 3, 42);
        MultiLayerNetwork net = TestData.mlp(4, 5, 3, new Nesterovs(0.05, 0.9), 3);
        List<int[][]> orders = new ArrayList<>();
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(List.of(all)))
                .setOrdering(OrderingConfig.of(ordering, seed)).optWorkers(workers).optBatchSize(BATCH).optGranularity(g)
                .optExecution(mode).build()) {
            for (int e = 0; e <= epochs; e++) {
                int[][] o = new int[workers][];
                for (int w = 0; w < workers; w++) {
                    o[w] = t.ordering().order(w);
                }
                orders.add(o);
                if (e < epochs) {
                    t.fitEpoch();
                }
            }
        }
        return new Run(TestData.params(net), orders);
    }

    @Test
    void cdGrabAndDrrChooseDifferentOrdersFromTheSameStart() {
        Run cd = run("cd-grab", 5, Granularity.EXAMPLE_LAST_LAYER, ExecutionMode.SEQUENTIAL, 2);
        Run rr = run("d-rr", 5, Granularity.EXAMPLE_LAST_LAYER, ExecutionMode.SEQUENTIAL, 2);
        // Epoch 0 is the same seeded random order for every strategy; afterwards they differ.
        assertTrue(Arrays.deepEquals(cd.orders.get(0), rr.orders.get(0)));
        for (int e = 1; e <= 2; e++) {
            for (int w = 0; w < WORKERS; w++) {
                assertFalse(Arrays.equals(cd.orders.get(e)[w], rr.orders.get(e)[w]), "epoch " + e + ", worker " + w);
            }
        }
        assertFalse(Arrays.equals(cd.params, rr.params));
    }

    @Test
    void sameSeedGivesBitIdenticalRuns() {
        for (String ordering : List.of("cd-grab", "d-rr")) {
            Run a = run(ordering, 9, Granularity.BATCH, ExecutionMode.SEQUENTIAL, 3);
            Run b = run(ordering, 9, Granularity.BATCH, ExecutionMode.SEQUENTIAL, 3);
            Run c = run(ordering, 10, Granularity.BATCH, ExecutionMode.SEQUENTIAL, 3);
            assertArrayEquals(a.params, b.params, 0f, ordering);
            for (int e = 0; e < a.orders.size(); e++) {
                assertTrue(Arrays.deepEquals(a.orders.get(e), b.orders.get(e)), ordering + " epoch " + e);
            }
            assertFalse(Arrays.deepEquals(a.orders.get(0), c.orders.get(0)), ordering + ": another seed, another start");
            assertFalse(Arrays.equals(a.params, c.params), ordering);
        }
    }

    @Test
    void sequentialAndThreadedExecutionAreBitIdentical() {
        for (Granularity g : Granularity.values()) {
            Run s = run("cd-grab", 4, g, ExecutionMode.SEQUENTIAL, 2);
            Run t = run("cd-grab", 4, g, ExecutionMode.THREADED, 2);
            assertArrayEquals(s.params, t.params, 0f, g.id());
            for (int e = 0; e < s.orders.size(); e++) {
                assertTrue(Arrays.deepEquals(s.orders.get(e), t.orders.get(e)), g.id() + " epoch " + e);
            }
        }
    }

    @Test
    void oneThreadedWorkerMatchesOneSequentialWorker() {
        for (Granularity g : List.of(Granularity.BATCH, Granularity.EXAMPLE_LAST_LAYER)) {
            Run s = run("cd-grab", 4, g, ExecutionMode.SEQUENTIAL, 2, 1);
            Run t = run("cd-grab", 4, g, ExecutionMode.THREADED, 2, 1);
            assertArrayEquals(s.params, t.params, 0f, g.id());
            assertTrue(Arrays.deepEquals(s.orders.get(2), t.orders.get(2)), g.id());
        }
    }

    @Test
    void threadedMatchesSequentialWithGradientNormalisationOnBothModelKinds() {
        DataSet all = TestData.blobs(N, 4, 3, 43);
        for (boolean graph : new boolean[] {false, true}) {
            float[] seq = clipped(all, graph, ExecutionMode.SEQUENTIAL, GradientNormalization.ClipElementWiseAbsoluteValue);
            float[] thr = clipped(all, graph, ExecutionMode.THREADED, GradientNormalization.ClipElementWiseAbsoluteValue);
            float[] free = clipped(all, graph, ExecutionMode.SEQUENTIAL, GradientNormalization.None);
            assertArrayEquals(seq, thr, 0f, graph ? "graph" : "multi-layer network");
            assertFalse(Arrays.equals(seq, free), "the clipping took effect");
            float[] perParam = clipped(all, graph, ExecutionMode.THREADED, GradientNormalization.RenormalizeL2PerParamType);
            assertArrayEquals(clipped(all, graph, ExecutionMode.SEQUENTIAL, GradientNormalization.RenormalizeL2PerParamType),
                    perParam, 0f);
        }
    }

    private static float[] clipped(DataSet all, boolean graph, ExecutionMode mode, GradientNormalization norm) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(3).updater(new Nesterovs(0.05, 0.9))
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).gradientNormalization(norm)
                .gradientNormalizationThreshold(0.01);
        DenseLayer hidden = new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build();
        OutputLayer out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                .activation(Activation.SOFTMAX).build();
        Model net;
        if (graph) {
            ComputationGraph g = new ComputationGraph(b.graphBuilder().addInputs("in").addLayer("h", hidden, "in")
                    .addLayer("out", out, "h").setOutputs("out").build());
            g.init();
            net = g;
        } else {
            MultiLayerNetwork m = new MultiLayerNetwork(b.list().layer(hidden).layer(out).build());
            m.init();
            net = m;
        }
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(List.of(all)))
                .setOrdering(OrderingConfig.of("cd-grab", 1)).optWorkers(WORKERS).optBatchSize(BATCH).optExecution(mode)
                .build()) {
            t.fit(1);
        }
        return TestData.params(net);
    }
}
