package org.dgrab.dl4j.internal.gradient;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Captures the input {@code h} of a model's dense output layer on forward passes and turns the last captured
 * batch into exact per-example gradients of that layer's parameters: for {@code z = h W + b}, example {@code i}'s
 * row is {@code h_i ⊗ δ_i} (c-order {@code [nIn, nOut]}) followed by {@code δ_i} (if the layer has a bias), where
 * {@code δ = dL/dz} comes from the layer's own loss function and activation (for softmax with cross-entropy,
 * {@code p - y}, computed on the heap).
 *
 * <p>It registers no listener: the caller forwards its own {@code TrainingListener}'s {@code onForwardPass}
 * callbacks, so one capture can be kept per model (for example per replica of a {@code ParallelWrapper}) and created
 * lazily inside a callback. Call order: {@link #of}, then per batch {@link #onForwardPass} (from the forward pass of
 * the gradient computation) followed by {@link #perExample} with that batch's labels; {@link #beginStep()} may be
 * called before batches whose parameters do not change in between. At capture time {@code h} and (once per step) the
 * layer's parameters are copied to the heap, because the activations live in a workspace that closes after the
 * backward pass and the parameters change at the update; the logits are computed from these copies when the rows
 * are formed, which for a batch handed out with {@link #swapBatch} is on the thread that forms them. Not
 * thread-safe: calls must be ordered (happen-before) by the caller; a forward pass on another thread than the next
 * {@code perExample} is fine when the caller's hand-over orders them.
 *
 * <p>Supported: {@link org.deeplearning4j.nn.conf.layers.OutputLayer} (any activation and loss) as the last layer
 * of a {@link MultiLayerNetwork}, or as the single output of a {@link ComputationGraph} whose output vertex has one
 * input. Dropout on the output layer's input is not reflected in the captured {@code h}.
 */
public final class OutputLayerCapture {
    private final OutputLayer layer;
    private final InputPreProcessor pre;
    /** Where the output layer's input is among a forward pass's activations (network or graph). */
    private final OutputLayerInput input;
    private final int nIn;
    private final int nOut;
    private final boolean bias;
    private final boolean softmaxCrossEntropy;
    private final ILossFunction loss;
    private final IActivation activation;
    private final HostCopy stageH = new HostCopy();
    private final HostCopy stageW = new HostCopy();
    private final HostCopy stageB = new HostCopy();
    /** The batch being captured, or captured last. */
    private HeapBatch batch = new HeapBatch();
    private boolean captured;
    private double[] hostWT;
    private double[] hostB;
    /** True once {@link #beginStep()} was called; until then parameters are read on every capture. */
    private boolean stepsAnnounced;
    /** {@link #hostWT} and {@link #hostB} hold the current step's parameters. */
    private boolean paramsCurrent;
    /**
     * A batch handed out by {@link #swapBatch} refers to {@link #hostWT} and {@link #hostB}: the next read of the
     * parameters goes to new arrays instead of overwriting those.
     */
    private boolean paramsLent;

    private OutputLayerCapture(OutputLayer layer, InputPreProcessor pre, OutputLayerInput input) {
        this.layer = layer;
        this.pre = pre;
        this.input = input;
        INDArray w = layer.getParam("W");
        this.nIn = (int) w.size(0);
        this.nOut = (int) w.size(1);
        this.bias = layer.hasBias();
        org.deeplearning4j.nn.conf.layers.OutputLayer conf = (org.deeplearning4j.nn.conf.layers.OutputLayer) layer.conf().getLayer();
        this.loss = conf.getLossFn();
        this.activation = conf.getActivationFn();
        this.softmaxCrossEntropy = activation instanceof ActivationSoftmax && loss instanceof LossMCXENT
                && ((LossMCXENT) loss).getWeights() == null;
    }

    /**
     * Creates the capture of a model's output layer. Registers nothing on the model.
     *
     * @param model an initialised {@link MultiLayerNetwork} or {@link ComputationGraph}
     * @return the capture
     * @throws IllegalArgumentException if the model or its output layer is not supported (the message says which
     *                                  are, and what to use instead)
     */
    public static OutputLayerCapture of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            if (net.getLayers() == null) {
                throw new IllegalArgumentException("MultiLayerNetwork is not initialised; call net.init() first");
            }
            OutputLayer out = requireDenseOutput(net.getOutputLayer());
            return new OutputLayerCapture(out, net.getLayerWiseConfigurations().getInputPreProcess(net.getnLayers() - 1),
                    new OutputLayerInput.LastActivation());
        }
        if (model instanceof ComputationGraph g) {
            if (g.getLayers() == null) {
                throw new IllegalArgumentException("ComputationGraph is not initialised; call graph.init() first");
            }
            List<String> outs = g.getConfiguration().getNetworkOutputs();
            if (outs.size() != 1) {
                throw new IllegalArgumentException("last-layer gradients need exactly one network output, got " + outs.size());
            }
            String outName = outs.get(0);
            OutputLayer out = requireDenseOutput(g.getVertex(outName).getLayer());
            List<String> inputs = g.getConfiguration().getVertexInputs().get(outName);
            if (inputs == null || inputs.size() != 1) {
                throw new IllegalArgumentException("example-last-layer gradients need the output vertex '" + outName
                        + "' to have exactly one input, got " + inputs);
            }
            org.deeplearning4j.nn.conf.graph.GraphVertex v = g.getConfiguration().getVertices().get(outName);
            InputPreProcessor pre = v instanceof LayerVertex ? ((LayerVertex) v).getPreProcessor() : null;
            return new OutputLayerCapture(out, pre, new OutputLayerInput.Vertex(inputs.get(0)));
        }
        throw new IllegalArgumentException("dgrab supports MultiLayerNetwork and ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /**
     * @param model a model
     * @return whether {@link #of} accepts it
     */
    public static boolean supports(Model model) {
        try {
            of(model);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static OutputLayer requireDenseOutput(Layer out) {
        if (!(out instanceof OutputLayer)) {
            throw new IllegalArgumentException("example-last-layer gradients need a dense OutputLayer "
                    + "(org.deeplearning4j.nn.conf.layers.OutputLayer, any activation and loss) as the model's output; "
                    + "this model ends with " + (out == null ? "nothing" : out.getClass().getSimpleName())
                    + ". Use granularity batch (or example-exact with DataParallelTrainer) for other output layers.");
        }
        return (OutputLayer) out;
    }

    /** @return length of one example's row, {@code nIn * nOut + nOut} (or {@code nIn * nOut} without bias) */
    public int dimension() {
        return LastLayerMath.dimension(nIn, nOut, bias);
    }

    /**
     * @return true for the common classifier, softmax with unweighted cross-entropy, whose {@code dL/dz = p - y}
     *         is formed on the heap without the layer's loss and activation objects (when the batch has no label
     *         mask); such rows may be formed on another thread than the training one
     */
    public boolean isSoftmaxCrossEntropy() {
        return softmaxCrossEntropy;
    }

    /** @return examples in the last captured batch, 0 if none was captured */
    public int capturedExamples() {
        return captured ? batch.count : 0;
    }

    /**
     * Announces that the layer's parameters will not change until the next call (for example between two
     * updates of a synchronous step): they are then copied to the heap once per step instead of on every capture.
     * Once called, it must be called after every parameter change.
     */
    public void beginStep() {
        stepsAnnounced = true;
        paramsCurrent = false;
    }

    /** Forgets the last capture: {@link #perExample} throws until the next forward pass is captured. */
    public void clear() {
        captured = false;
    }

    /**
     * Captures the output layer's input from a {@link MultiLayerNetwork}'s forward pass: forward here what
     * {@code TrainingListener.onForwardPass(Model, List)} receives.
     *
     * @param activations the activations the listener received (the last one is the output layer's input)
     * @throws IllegalStateException if this capture belongs to a ComputationGraph
     */
    public void onForwardPass(List<INDArray> activations) {
        keep(input.of(activations));
    }

    /**
     * Captures the output layer's input from a {@link ComputationGraph}'s forward pass: forward here what
     * {@code TrainingListener.onForwardPass(Model, Map)} receives.
     *
     * @param activations the activations by vertex name
     * @throws IllegalStateException if this capture belongs to a MultiLayerNetwork, or the map lacks the output
     *                               layer's input vertex
     */
    public void onForwardPass(Map<String, INDArray> activations) {
        keep(input.of(activations));
    }

    private void keep(INDArray a) {
        INDArray x = a;
        if (pre != null) {
            try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                x = pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
            }
        }
        HeapBatch r = batch;
        r.h = stageH.read(x, r.h);
        r.count = (int) x.size(0);
        if (!paramsCurrent) {
            readParams();
            paramsCurrent = stepsAnnounced;
        }
        r.wT = hostWT;
        r.b = bias ? hostB : null;
        r.logitsDone = false;
        captured = true;
    }

    /**
     * Copies {@code W} transposed (so that each logit is a contiguous dot product) and {@code b} to the heap: into
     * the arrays of the last read, or new ones when a handed-out batch may still read those. A new copy per step is
     * the size of one example's row, of which the ordering handles one per example of the step anyway.
     */
    private void readParams() {
        if (paramsLent) {
            hostWT = null;
            hostB = null;
            paramsLent = false;
        }
        hostWT = stageW.read(layer.getParam("W").transpose(), hostWT);
        if (bias) {
            hostB = stageB.read(layer.getParam("b"), hostB);
        }
    }

    /** The logits {@code z = h W + b} of a captured batch into {@code r.z}, from the parameters it was captured with. */
    private void logits(HeapBatch r) {
        if (r.logitsDone) {
            return;
        }
        if (r.z == null || r.z.length < r.count * nOut) {
            r.z = new double[r.count * nOut];
        }
        LastLayerMath.logits(r.h, r.wT, r.b, r.count, nIn, nOut, r.z);
        r.logitsDone = true;
    }

    /**
     * Per-example gradients of the last captured batch.
     *
     * @param labels     that batch's labels {@code [B, nOut]}
     * @param labelsMask that batch's label mask, or null
     * @return a reused heap array, valid until the next call: row {@code i} starts at {@code i * dimension()}
     * @throws IllegalStateException    if no forward pass was captured (since {@link #clear()})
     * @throws IllegalArgumentException if the labels do not match the captured batch
     */
    public double[] perExample(INDArray labels, INDArray labelsMask) {
        requireLabels(labels);
        return rows(batch, labels, labelsMask);
    }

    /**
     * Hands the last captured batch's per-example gradients to a sink, one row at a time, as
     * {@link #emitRows} does.
     *
     * @param labels     that batch's labels {@code [B, nOut]}
     * @param labelsMask that batch's label mask, or null
     * @param from       the sink position of the batch's first example
     * @param sink       receives row {@code i} at position {@code from + i}
     * @throws IllegalStateException    if no forward pass was captured (since {@link #clear()})
     * @throws IllegalArgumentException if the labels do not match the captured batch
     */
    void emitPerExample(INDArray labels, INDArray labelsMask, int from, UnitSink sink) {
        requireLabels(labels);
        emitRows(batch, labels, labelsMask, from, sink);
    }

    private void requireLabels(INDArray labels) {
        requireCaptured();
        if (labels == null || labels.rank() != 2 || labels.size(0) != batch.count || labels.size(1) != nOut) {
            throw new IllegalArgumentException("labels of the captured batch must be [" + batch.count + ", " + nOut
                    + "], got " + (labels == null ? "null" : Arrays.toString(labels.shape())));
        }
    }

    /** @throws IllegalStateException if no forward pass was captured since the last {@link #clear()} */
    void requireCaptured() {
        if (!captured) {
            throw new IllegalStateException("the model did not report the output layer's input during the forward pass");
        }
    }

    /**
     * @param mask a batch's label mask, or null
     * @return whether that batch's rows are formed entirely on the heap (see {@link #isSoftmaxCrossEntropy()})
     */
    boolean heapOnly(INDArray mask) {
        return softmaxCrossEntropy && mask == null;
    }

    /**
     * Hands out the captured batch's scratch and captures into another from now on, so that the handed-out
     * batch's rows can be formed later, on another thread, while the next batch is captured.
     *
     * @param next the scratch to capture into (a spare one or a new {@link HeapBatch})
     * @return the scratch of the last captured batch
     */
    HeapBatch swapBatch(HeapBatch next) {
        requireCaptured();
        HeapBatch mine = batch;
        batch = next;
        captured = false;
        paramsLent = true;
        return mine;
    }

    /**
     * Forms the per-example rows of a captured batch in its own scratch. Reads only final fields of this capture,
     * so it may run on another thread than the capturing one.
     *
     * @param r      the batch's scratch
     * @param labels its labels, or null when already in {@code r.y} (heap-only batches)
     * @param mask   its label mask, or null
     * @return {@code r.rows}
     */
    double[] rows(HeapBatch r, INDArray labels, INDArray mask) {
        deltas(r, labels, mask);
        int dim = dimension();
        if (r.rows == null || r.rows.length < r.count * dim) {
            r.rows = new double[r.count * dim];
        }
        LastLayerMath.outerRows(r.h, r.delta, r.count, nIn, nOut, bias, r.rows);
        return r.rows;
    }

    /**
     * Hands a captured batch's per-example rows to a sink, each formed just before its call in one reused row of
     * the batch's scratch. The values are those of {@link #rows}; but the batch's {@code B * dimension()} rows are
     * never all written out, so what the ordering thread touches stays in the core's own cache instead of
     * streaming through the cache it shares with the training thread. Reads only final fields of this capture, so it
     * may run on another thread than the capturing one.
     *
     * @param r      the batch's scratch
     * @param labels its labels, or null when already in {@code r.y} (heap-only batches)
     * @param mask   its label mask, or null
     * @param from   the sink position of the batch's first example
     * @param sink   receives row {@code i} at position {@code from + i} (valid during the call only, as
     *               {@link UnitSink} says)
     */
    void emitRows(HeapBatch r, INDArray labels, INDArray mask, int from, UnitSink sink) {
        deltas(r, labels, mask);
        int dim = dimension();
        if (r.row == null || r.row.length < dim) {
            r.row = new double[dim];
        }
        for (int i = 0; i < r.count; i++) {
            LastLayerMath.outerRow(r.h, r.delta, i, nIn, nOut, bias, r.row, 0);
            sink.accept(from + i, r.row, 0, dim);
        }
    }

    /** {@code dL/dz} of a captured batch into {@code r.delta}: on the heap for heap-only batches, else by the loss. */
    private void deltas(HeapBatch r, INDArray labels, INDArray mask) {
        logits(r);
        int b = r.count;
        if (heapOnly(mask)) {
            if (labels != null) {
                r.y = r.stageY.read(labels, r.y);
            }
            if (r.delta == null || r.delta.length < b * nOut) {
                r.delta = new double[b * nOut];
            }
            LastLayerMath.softmaxMinusLabels(r.z, r.y, b, nOut, r.delta);
        } else {
            INDArray z = Nd4j.create(Arrays.copyOf(r.z, b * nOut), new long[] {b, nOut}, DataType.DOUBLE)
                    .castTo(labels.dataType());
            r.delta = r.stageDelta.read(loss.computeGradient(labels, z, activation, mask), r.delta);
        }
    }
}
