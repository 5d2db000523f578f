package org.dgrab.dl4j.internal.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dgrab.dl4j.TestData;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Test reference for per-example output-layer gradients: DL4J's own gradient of a batch of one example, compared
 * with a row of the per-example layout ({@code [nIn, nOut]} c-order weights, then the bias).
 */
final class SingleExampleGradients {
    private SingleExampleGradients() {
    }

    /**
     * Asserts that each row equals DL4J's output-layer gradient of the example at that position.
     *
     * @param model the model at the parameters the rows were computed with (not changed)
     * @param all   the examples
     * @param order the example behind each row
     * @param rows  the rows, one per position
     * @param wKey  gradient key of the output layer's weights
     * @param bKey  gradient key of its bias
     * @param nIn   inputs of the output layer
     */
    static void assertRowsMatch(Model model, DataSet all, int[] order, List<double[]> rows, String wKey, String bKey,
                                int nIn) {
        assertEquals(order.length, rows.size(), "rows");
        for (int p = 0; p < order.length; p++) {
            Model one = cloneOf(model);
            setBatch(one, TestData.rows(all, new int[] {order[p]}));
            one.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
            Gradient g = one.gradient();
            INDArray w = g.getGradientFor(wKey);
            INDArray b = g.getGradientFor(bKey);
            assertEquals(nIn, w.size(0));
            long nOut = w.size(1);
            double[] row = rows.get(p);
            assertEquals(nIn * nOut + nOut, row.length);
            double scale = Math.max(1e-3, w.amaxNumber().doubleValue());
            for (int i = 0; i < nIn; i++) {
                for (int j = 0; j < nOut; j++) {
                    // The row is c-order [nIn, nOut] of h (x) delta; compare as matrices.
                    assertEquals(w.getDouble(i, j), row[(int) (i * nOut + j)], 1e-5 * scale,
                            "W[" + i + "," + j + "] of example at position " + p);
                }
            }
            for (int j = 0; j < nOut; j++) {
                assertEquals(b.getDouble(j), row[(int) (nIn * nOut + j)], 1e-5 * scale, "b[" + j + "] at position " + p);
            }
        }
    }

    /**
     * @param m a MultiLayerNetwork or ComputationGraph
     * @return a deep copy
     */
    static Model cloneOf(Model m) {
        return m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).clone() : ((ComputationGraph) m).clone();
    }

    /**
     * Sets a model's input and labels.
     *
     * @param m a MultiLayerNetwork or ComputationGraph
     * @param d the batch
     */
    static void setBatch(Model m, DataSet d) {
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).setInput(d.getFeatures());
            ((MultiLayerNetwork) m).setLabels(d.getLabels());
        } else {
            ((ComputationGraph) m).setInputs(d.getFeatures());
            ((ComputationGraph) m).setLabels(d.getLabels());
        }
    }

    /**
     * @param features inputs
     * @param hidden   hidden units
     * @param classes  outputs
     * @return an initialised network ending in a sigmoid OutputLayer with binary cross-entropy
     */
    static MultiLayerNetwork sigmoidNet(int features, int hidden, int classes) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(features).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * @param features inputs
     * @param classes  outputs
     * @return an initialised network ending in a LossLayer (no parameters), which last-layer gradients refuse
     */
    static MultiLayerNetwork lossLayerNet(int features, int classes) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1))
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(features).nOut(classes).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
