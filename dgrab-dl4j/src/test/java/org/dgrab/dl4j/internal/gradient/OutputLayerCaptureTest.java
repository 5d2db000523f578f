package org.dgrab.dl4j.internal.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * {@link OutputLayerCapture} fed by the caller's own listener: rows equal DL4J's single-example gradients at the
 * parameters of the captured forward pass, nothing is registered on the model, and misuse is refused.
 */
class OutputLayerCaptureTest {
    private static final int FEATURES = 5;
    private static final int HIDDEN = 4;
    private static final int CLASSES = 3;
    private static final int B = 6;

    /** The caller's listener: creates the capture lazily at the first forward pass, as a replica's listener would. */
    private static final class LazyForwarder extends BaseTrainingListener {
        OutputLayerCapture capture;

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            if (capture == null) {
                capture = OutputLayerCapture.of(model);
            }
            capture.onForwardPass(activations);
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            if (capture == null) {
                capture = OutputLayerCapture.of(model);
            }
            capture.onForwardPass(activations);
        }
    }

    @Test
    void rowsOfAFitStepAreTheSingleExampleGradientsBeforeTheUpdate() {
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 31);
        MultiLayerNetwork net = TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 3);
        net.fit(all);
        Model before = net.clone();
        LazyForwarder l = new LazyForwarder();
        net.setListeners(l);
        // fit updates the parameters after the forward pass: the rows must use the parameters of that pass.
        net.fit(all);
        assertEquals(B, l.capture.capturedExamples());
        SingleExampleGradients.assertRowsMatch(before, all, TestData.range(0, B), rowsOf(l.capture, all),
                "1_W", "1_b", HIDDEN);
    }

    @Test
    void computationGraphRows() {
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 32);
        ComputationGraph g = TestData.graphMlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 4);
        g.fit(all);
        LazyForwarder l = new LazyForwarder();
        g.setListeners(l);
        SingleExampleGradients.setBatch(g, all);
        g.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        SingleExampleGradients.assertRowsMatch(g, all, TestData.range(0, B), rowsOf(l.capture, all),
                "out_W", "out_b", HIDDEN);
    }

    @Test
    void rowsHandedOutOneAtATimeAreTheBatchsRowsBitForBit() {
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 33);
        MultiLayerNetwork net = TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 5);
        LazyForwarder l = new LazyForwarder();
        net.setListeners(l);
        net.fit(all);
        List<double[]> batch = rowsOf(l.capture, all);
        List<Integer> positions = new ArrayList<>();
        List<double[]> streamed = new ArrayList<>();
        // The trainer's sink reads each row during the call; copies keep them for the comparison.
        l.capture.emitPerExample(all.getLabels(), null, 10, new UnitSink() {
            @Override
            public void accept(int position, INDArray gradient) {
                throw new AssertionError("rows arrive as heap slices");
            }

            @Override
            public void accept(int position, double[] values, int offset, int dim) {
                positions.add(position);
                streamed.add(Arrays.copyOfRange(values, offset, offset + dim));
            }
        });
        assertEquals(TestData.range(10, 10 + B).length, positions.size());
        for (int i = 0; i < B; i++) {
            assertEquals(10 + i, positions.get(i));
            assertTrue(Arrays.equals(batch.get(i), streamed.get(i)), "row " + i + " differs");
        }
    }

    @Test
    void registersNothingOnTheModel() {
        MultiLayerNetwork net = TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 3);
        OutputLayerCapture c = OutputLayerCapture.of(net);
        assertTrue(net.getListeners() == null || net.getListeners().isEmpty(), String.valueOf(net.getListeners()));
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 33);
        net.fit(all);
        // Nobody forwarded the pass, so nothing was captured.
        assertEquals(0, c.capturedExamples());
        assertThrows(IllegalStateException.class, () -> c.perExample(all.getLabels(), null));
    }

    @Test
    void shapeAndKindOfTheLayer() {
        OutputLayerCapture c = OutputLayerCapture.of(TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 3));
        assertEquals(HIDDEN * CLASSES + CLASSES, c.dimension());
        assertTrue(c.isSoftmaxCrossEntropy());
        assertFalse(OutputLayerCapture.of(SingleExampleGradients.sigmoidNet(FEATURES, HIDDEN, CLASSES)).isSoftmaxCrossEntropy());
    }

    @Test
    void clearForgetsTheCaptureAndWrongLabelsAreRefused() {
        DataSet all = TestData.blobs(B, FEATURES, CLASSES, 34);
        MultiLayerNetwork net = TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 3);
        LazyForwarder l = new LazyForwarder();
        net.setListeners(l);
        net.fit(all);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> l.capture.perExample(Nd4j.zeros(DataType.FLOAT, B - 1, CLASSES), null));
        assertTrue(e.getMessage().contains("[" + B + ", " + CLASSES + "]"), e.getMessage());
        assertEquals(B * l.capture.dimension(), l.capture.perExample(all.getLabels(), null).length);
        l.capture.clear();
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> l.capture.perExample(all.getLabels(), null));
        assertTrue(s.getMessage().contains("output layer's input"), s.getMessage());
    }

    @Test
    void activationsOfTheOtherModelTypeAreRefused() {
        OutputLayerCapture mln = OutputLayerCapture.of(TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 3));
        assertThrows(IllegalStateException.class, () -> mln.onForwardPass(Map.of()));
        OutputLayerCapture graph = OutputLayerCapture.of(TestData.graphMlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 4));
        assertThrows(IllegalStateException.class, () -> graph.onForwardPass(List.of(Nd4j.zeros(1, HIDDEN))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> graph.onForwardPass(Map.of()));
        assertTrue(e.getMessage().contains("no activation of vertex"), e.getMessage());
    }

    @Test
    void supportsAgreesWithOf() {
        assertTrue(OutputLayerCapture.supports(TestData.mlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 3)));
        assertTrue(OutputLayerCapture.supports(TestData.graphMlp(FEATURES, HIDDEN, CLASSES, new Sgd(0.1), 4)));
        MultiLayerNetwork rnn = TestData.rnn(3, 4, 2, new Sgd(0.1), 1);
        assertFalse(OutputLayerCapture.supports(rnn));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputLayerCapture.of(rnn));
        assertTrue(e.getMessage().contains("dense OutputLayer") && e.getMessage().contains("RnnOutputLayer"),
                e.getMessage());
        assertFalse(OutputLayerCapture.supports(SingleExampleGradients.lossLayerNet(FEATURES, CLASSES)));
        // Two inputs merged before the output vertex: the output vertex itself has one input.
        assertTrue(OutputLayerCapture.supports(TestData.twoInputGraph(new Sgd(0.1), 1)));
        assertFalse(OutputLayerCapture.supports(null));
        MultiLayerNetwork uninitialised = new MultiLayerNetwork(SingleExampleGradients.sigmoidNet(FEATURES, HIDDEN, CLASSES).getLayerWiseConfigurations());
        e = assertThrows(IllegalArgumentException.class, () -> OutputLayerCapture.of(uninitialised));
        assertTrue(e.getMessage().contains("init()"), e.getMessage());
    }

    private static List<double[]> rowsOf(OutputLayerCapture c, DataSet all) {
        double[] heap = c.perExample(all.getLabels(), null);
        int dim = c.dimension();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < all.numExamples(); i++) {
            rows.add(Arrays.copyOfRange(heap, i * dim, (i + 1) * dim));
        }
        return rows;
    }
}
