package org.dgrab.dl4j.internal.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.internal.data.UnitLayout;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Checks the per-example output-layer gradients of {@link LastLayerGradientSource} against DL4J's own gradient of
 * a batch of one example, and that unsupported models are refused with a helpful message.
 */
class LastLayerGradientSourceTest {
    private static final int FEATURES = 5;
    private static final int HIDDEN = 4;
    private static final int CLASSES = 3;
    private static final int B = 6;

    @Test
    void perExampleRowsEqualSingleExampleGradientsOfMultiLayerNetwork() {
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 21);
        MultiLayerNetwork net = TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 3);
        // Move away from the initial point so that no gradient is special.
        net.fit(all);
        check(net, all, "1_W", "1_b");
    }

    @Test
    void perExampleRowsEqualSingleExampleGradientsOfComputationGraph() {
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 22);
        ComputationGraph g = TestData.graphMlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 4);
        g.fit(all);
        check(g, all, "out_W", "out_b");
    }

    @Test
    void perExampleRowsFollowTheLayersOwnLossAndActivation() {
        // Sigmoid with binary cross-entropy and multi-hot labels: delta is not "softmax minus labels" here.
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 23);
        all.setLabels(all.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, CLASSES)).gt(0).castTo(DataType.FLOAT));
        MultiLayerNetwork net = SingleExampleGradients.sigmoidNet(FEATURES, HIDDEN, CLASSES);
        net.fit(all);
        check(net, all, "1_W", "1_b");
    }

    @Test
    void logisticRegressionInputIsTheFeatures() {
        // A single-layer network: the output layer's input is the network input itself.
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 24);
        MultiLayerNetwork net = TestData.logreg(FEATURES, CLASSES, new Sgd(0.1), 6);
        check(net, all, "0_W", "0_b");
    }

    @Test
    void outputLayerBehindAnInputPreProcessor() {
        // Convolution, then the dense output layer behind DL4J's CnnToFeedForwardPreProcessor.
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(2, 2).nOut(2)
                        .activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(3, 3, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertNotNull(net.getLayerWiseConfigurations().getInputPreProcess(1), "the output layer sits behind a pre-processor");
        DataSet flat = TestData.blobs(B, 9, CLASSES, 25);
        DataSet all = new DataSet(flat.getFeatures().reshape(B, 1, 3, 3), flat.getLabels());
        net.fit(all);
        check(net, all, "1_W", "1_b", 2 * 2 * 2);
    }

    @Test
    void deferredRowsUseTheParametersOfTheirOwnStepWhenFormedAfterLaterSteps() {
        // The rows of a deferred batch are formed on the ordering thread, possibly after the update and after the
        // next steps' captures: they must still be the rows of the parameters the batch was trained with.
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 25);
        MultiLayerNetwork net = TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.5), 8);
        MultiLayerNetwork twin = net.clone();
        ExampleStore store = ExampleStore.of(List.of(all));
        UnitLayout layout = UnitLayout.of(new int[][] {TestData.range(0, B)}, 1);
        int[] order = {4, 0, 5, 2, 1, 3};
        ModelAdapter deferredModel = ModelAdapter.of(net);
        ModelAdapter syncModel = ModelAdapter.of(twin);
        LastLayerGradientSource deferred = new LastLayerGradientSource(deferredModel);
        LastLayerGradientSource sync = new LastLayerGradientSource(syncModel);
        List<List<double[]>> late = new ArrayList<>();
        List<List<double[]>> now = new ArrayList<>();
        List<Runnable> emits = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            List<double[]> a = new ArrayList<>();
            List<double[]> b = new ArrayList<>();
            late.add(a);
            now.add(b);
            deferred.beginStep();
            sync.beginStep();
            GradientSource.Deferred d = deferred.computeDeferred(new WorkerStep(deferredModel, store, layout, 0, order,
                    0, B, UnitTarget.to((pos, g) -> a.add(g.dup().data().asDouble()))));
            emits.add(d.emit());
            sync.compute(new WorkerStep(syncModel, store, layout, 0, order, 0, B,
                    UnitTarget.to((pos, g) -> b.add(g.dup().data().asDouble()))));
            deferredModel.applyUpdate(B);
            syncModel.applyUpdate(B);
        }
        // Formed only now, after three updates and two later captures.
        emits.forEach(Runnable::run);
        for (int step = 0; step < 3; step++) {
            assertEquals(B, late.get(step).size(), "rows of step " + step);
            for (int i = 0; i < B; i++) {
                assertArrayEquals(now.get(step).get(i), late.get(step).get(i),
                        "step " + step + ", example " + i);
            }
        }
        // The steps really changed the layer, so rows formed with the latest parameters would differ.
        assertFalse(Arrays.equals(now.get(0).get(0), now.get(2).get(0)), "parameters changed between steps");
    }

    private static void check(Model model, DataSet all, String wKey, String bKey) {
        check(model, all, wKey, bKey, wKey.startsWith("0") ? FEATURES : HIDDEN);
    }

    private static void check(Model model, DataSet all, String wKey, String bKey, int nIn) {
        ModelAdapter adapter = ModelAdapter.of(model);
        LastLayerGradientSource src = new LastLayerGradientSource(adapter);
        ExampleStore store = ExampleStore.of(List.of(all));
        UnitLayout layout = UnitLayout.of(new int[][] {TestData.range(0, B)}, 1);
        int[] order = {4, 0, 5, 2, 1, 3};
        List<double[]> rows = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        double score = src.compute(new WorkerStep(adapter, store, layout, 0, order, 0, B, UnitTarget.to((pos, g) -> {
            positions.add(pos);
            rows.add(g.dup().data().asDouble());
        })));
        assertTrue(Double.isFinite(score));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), positions);
        assertEquals((long) nIn * CLASSES + CLASSES, src.dimension());

        // The step's gradient is still the model's ordinary summed batch gradient.
        Model ref = SingleExampleGradients.cloneOf(model);
        SingleExampleGradients.setBatch(ref, TestData.rows(all, order));
        ref.computeGradientAndScore(org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        assertArrayClose(ref.gradient().gradient().dup().data().asFloat(),
                adapter.gradientView().dup().data().asFloat(), 1e-6f, "summed batch gradient");
        SingleExampleGradients.assertRowsMatch(model, all, order, rows, wKey, bKey, nIn);
    }

    private static void assertArrayClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1f, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    @Test
    void lossLayerIsRefusedWithTheSupportedLayers() {
        MultiLayerNetwork net = SingleExampleGradients.lossLayerNet(FEATURES, CLASSES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LastLayerGradientSource(ModelAdapter.of(net)));
        assertTrue(e.getMessage().contains("OutputLayer"), e.getMessage());
        assertTrue(e.getMessage().contains("LossLayer"), e.getMessage());
        assertTrue(e.getMessage().contains("batch (or example-exact with DataParallelTrainer)"), e.getMessage());
    }

    @Test
    void rnnOutputLayerIsRefusedWithTheSupportedLayers() {
        MultiLayerNetwork net = TestData.rnn(3, 4, 2, new Sgd(0.1), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LastLayerGradientSource(ModelAdapter.of(net)));
        assertTrue(e.getMessage().contains("RnnOutputLayer"), e.getMessage());
        assertTrue(e.getMessage().contains("dense OutputLayer"), e.getMessage());
    }

    @Test
    void boundToItsModel() {
        MultiLayerNetwork net = TestData.logreg(FEATURES, CLASSES, new Sgd(0.1), 6);
        ModelAdapter a = ModelAdapter.of(net);
        LastLayerGradientSource src = new LastLayerGradientSource(a);
        ModelAdapter other = a.replica();
        ExampleStore store = ExampleStore.of(List.of(TestData.blobs(4, FEATURES, CLASSES, 1)));
        UnitLayout layout = UnitLayout.of(new int[][] {TestData.range(0, 4)}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> src.compute(new WorkerStep(other, store, layout, 0, new int[] {0, 1, 2, 3}, 0, 4,
                        UnitTarget.to((p, g) -> { }))));
        assertTrue(e.getMessage().contains("another model replica"), e.getMessage());
        // On its own model the same step runs and reports one row per example.
        List<Integer> positions = new ArrayList<>();
        src.compute(new WorkerStep(a, store, layout, 0, new int[] {0, 1, 2, 3}, 0, 4,
                UnitTarget.to((p, g) -> positions.add(p))));
        assertEquals(List.of(0, 1, 2, 3), positions);
    }
}
