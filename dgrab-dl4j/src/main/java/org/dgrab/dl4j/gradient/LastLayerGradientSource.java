package org.dgrab.dl4j.gradient;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.data.UnitLayout;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * {@code example-last-layer} granularity: the exact per-example gradient of the output layer's parameters, from
 * the forward pass that the normal mini-batch step does anyway. For a dense output layer {@code z = h W + b},
 * example {@code i}'s gradient is {@code h_i ⊗ δ_i} for {@code W} and {@code δ_i} for {@code b}, where
 * {@code δ = dL/dz} comes from the layer's own loss function and activation (for softmax with cross-entropy,
 * {@code p - y}). The unit vector has {@code nIn * nOut + nOut} values.
 *
 * <p>The input {@code h} of the output layer is captured by a listener this source registers on the model; the
 * extra work per step is one {@code [B, nIn] x [nIn, nOut]} product, the loss gradient and the outer products.
 * Supported: {@link org.deeplearning4j.nn.layers.OutputLayer} (any activation and loss) as the last layer of a
 * {@link MultiLayerNetwork}, or as the single output of a {@link ComputationGraph} with one input vertex.
 * Dropout on the output layer's input is not reflected in the captured {@code h}.
 */
public final class LastLayerGradientSource implements GradientSource {
    private final ModelAdapter owner;
    private final org.deeplearning4j.nn.layers.OutputLayer layer;
    private final InputPreProcessor pre;
    private final Capture capture = new Capture();
    private INDArray perExample;

    /**
     * Checks the model and registers the capturing listener.
     *
     * @param model the model
     * @throws IllegalArgumentException if the output layer is not supported (the message says which are)
     */
    public LastLayerGradientSource(ModelAdapter model) {
        this.owner = model;
        Layer out = model.outputLayer();
        if (!(out instanceof org.deeplearning4j.nn.layers.OutputLayer)) {
            throw new IllegalArgumentException("example-last-layer gradients need a dense OutputLayer "
                    + "(org.deeplearning4j.nn.conf.layers.OutputLayer, any activation and loss) as the model's output; "
                    + "this model ends with " + (out == null ? "nothing" : out.getClass().getSimpleName())
                    + ". Use granularity batch or example-exact for other output layers.");
        }
        this.layer = (org.deeplearning4j.nn.layers.OutputLayer) out;
        this.pre = model.outputPreProcessor();
        if (model.isGraph()) {
            ComputationGraph g = (ComputationGraph) model.model();
            String outName = g.getConfiguration().getNetworkOutputs().get(0);
            List<String> inputs = g.getConfiguration().getVertexInputs().get(outName);
            if (inputs == null || inputs.size() != 1) {
                throw new IllegalArgumentException("example-last-layer gradients need the output vertex '" + outName
                        + "' to have exactly one input, got " + inputs);
            }
            capture.inputVertex = inputs.get(0);
            g.addListeners(capture);
        } else {
            ((MultiLayerNetwork) model.model()).addListeners(capture);
        }
    }

    /**
     * Keeps capturing the output layer's input on every forward pass (for code that does not call
     * {@link #compute}, such as a listener-driven iterator), or stops.
     *
     * @param on true to capture
     */
    public void setCapturing(boolean on) {
        capture.armed = on;
    }

    /** @return the output layer's input captured during the last forward pass while capturing, or null */
    public INDArray capturedInput() {
        return capture.h;
    }

    /** @return length of one example's vector, {@code nIn * nOut + nOut} (or without bias) */
    public long dimension() {
        long nIn = layer.getParam("W").size(0);
        long nOut = layer.getParam("W").size(1);
        return nIn * nOut + (layer.hasBias() ? nOut : 0);
    }

    @Override
    public double compute(ModelAdapter model, ExampleStore data, UnitLayout layout, int worker, int[] order, int from,
                          int to, UnitSink sink) {
        if (model != owner) {
            throw new IllegalArgumentException("this last-layer source is bound to another model replica");
        }
        int[] ex = layout.examples(worker, order, from, to);
        if (ex.length != to - from) {
            throw new IllegalArgumentException("example-last-layer orders single examples; units of worker " + worker
                    + " hold " + ex.length + " examples for " + (to - from) + " units");
        }
        DataSet batch = data.batch(ex);
        model.setBatch(batch);
        capture.armed = sink != null;
        capture.h = null;
        double score;
        try {
            score = model.computeGradient();
        } finally {
            capture.armed = false;
        }
        if (sink != null) {
            INDArray m = perExample(capture.h, batch.getLabels(), batch.getLabelsMaskArray());
            for (int i = 0; i < ex.length; i++) {
                sink.accept(from + i, m.getRow(i));
            }
        }
        return score;
    }

    /**
     * Per-example output-layer gradients for given output-layer inputs and labels.
     *
     * @param h      output-layer inputs {@code [B, nIn]} (after any pre-processor)
     * @param labels labels {@code [B, nOut]}
     * @param mask   label mask or null
     * @return {@code [B, nIn * nOut (+ nOut)]}; reused between calls
     */
    public INDArray perExample(INDArray h, INDArray labels, INDArray mask) {
        if (h == null) {
            throw new IllegalStateException("the model did not report the output layer's input during the forward pass");
        }
        INDArray w = layer.getParam("W");
        long nIn = w.size(0);
        long nOut = w.size(1);
        long b = h.size(0);
        boolean bias = layer.hasBias();
        INDArray z = h.mmul(w);
        if (bias) {
            z.addiRowVector(layer.getParam("b"));
        }
        org.deeplearning4j.nn.conf.layers.OutputLayer conf = (org.deeplearning4j.nn.conf.layers.OutputLayer) layer.conf().getLayer();
        ILossFunction loss = conf.getLossFn();
        IActivation act = conf.getActivationFn();
        INDArray delta = loss.computeGradient(labels, z, act, mask);
        long dim = nIn * nOut + (bias ? nOut : 0);
        if (perExample == null || perExample.size(0) != b || perExample.size(1) != dim || perExample.dataType() != h.dataType()) {
            perExample = Nd4j.create(h.dataType(), b, dim);
        }
        INDArray outer = h.reshape(b, nIn, 1).mul(delta.reshape(b, 1, nOut));
        perExample.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nIn * nOut)).assign(outer.reshape(b, nIn * nOut));
        if (bias) {
            perExample.get(NDArrayIndex.all(), NDArrayIndex.interval(nIn * nOut, dim)).assign(delta);
        }
        return perExample;
    }

    /** Captures the output layer's input during the forward pass of a gradient computation. */
    private final class Capture extends BaseTrainingListener {
        volatile boolean armed;
        INDArray h;
        String inputVertex;

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            if (armed) {
                keep(activations.get(activations.size() - 1));
            }
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            if (armed) {
                keep(activations.get(inputVertex));
            }
        }

        private void keep(INDArray a) {
            // Activations live in a workspace that closes after the backward pass: copy them out now.
            try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                INDArray x = a;
                if (pre != null) {
                    x = pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
                }
                h = x.dup('c');
            }
        }
    }
}
