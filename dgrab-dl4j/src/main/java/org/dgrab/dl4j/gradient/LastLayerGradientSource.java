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
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

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
    /** The batch being captured: {@code h} and the logits, filled during the forward pass. */
    private Rows rows = new Rows();
    /** Scratch of batches whose rows were formed later (deferred), ready for reuse; any thread returns them. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Rows> spare = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private double[] hostWT;
    private double[] hostB;
    private final HostCopy stageH = new HostCopy();
    private final HostCopy stageW = new HostCopy();
    private final HostCopy stageB = new HostCopy();
    /** True once a trainer drives {@link #beginStep()}; until then parameters are read on every batch. */
    private boolean stepsAnnounced;
    /** {@link #hostWT} and {@link #hostB} hold the current step's parameters. */
    private boolean paramsCurrent;

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

    /**
     * Per-example gradients of the batch whose forward pass was captured last (see {@link #setCapturing}), in the
     * layout of {@link #perExampleHeap}.
     *
     * @param labels that batch's labels
     * @param mask   that batch's label mask, or null
     * @return the heap array (valid until the next call); row {@code i} starts at {@code i * dimension()}
     * @throws IllegalStateException if no forward pass was captured
     */
    public double[] capturedPerExample(INDArray labels, INDArray mask) {
        requireCaptured();
        return fromLogits(rows, capture.rows, labels, mask);
    }

    private void requireCaptured() {
        if (!capture.captured) {
            throw new IllegalStateException("the model did not report the output layer's input during the forward pass");
        }
    }

    /** @return length of one example's vector, {@code nIn * nOut + nOut} (or without bias) */
    public long dimension() {
        long nIn = layer.getParam("W").size(0);
        long nOut = layer.getParam("W").size(1);
        return nIn * nOut + (layer.hasBias() ? nOut : 0);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the output layer's weights are copied to the heap once per step rather than once per worker.
     */
    @Override
    public void beginStep() {
        stepsAnnounced = true;
        paramsCurrent = false;
    }

    @Override
    public double compute(ModelAdapter model, ExampleStore data, UnitLayout layout, int worker, int[] order, int from,
                          int to, UnitSink sink) {
        MultiDataSet batch = prepare(model, data, layout, worker, order, from, to);
        INDArray labels = batch.getLabels(0);
        INDArray labelMask = batch.getLabelsMaskArray(0);
        double score = forwardBackward(model, sink != null);
        if (sink != null) {
            emit(rows, capture.rows, labels, labelMask, from, sink);
        }
        return score;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the forward and backward pass, the capture of {@code h} and the logits run now; forming the
     * per-example rows ({@code B * (nIn * nOut + nOut)} values) and handing them to the sink run in the returned
     * task, on the scratch of this batch alone, so the task may run on another thread while this source computes
     * the next batch.
     */
    @Override
    public Deferred computeDeferred(ModelAdapter model, ExampleStore data, UnitLayout layout, int worker, int[] order,
                                    int from, int to, UnitSink sink) {
        if (sink == null) {
            return new Deferred(compute(model, data, layout, worker, order, from, to, null), Deferred.NOTHING);
        }
        MultiDataSet batch = prepare(model, data, layout, worker, order, from, to);
        double score = forwardBackward(model, true);
        int b = capture.rows;
        INDArray labels = batch.getLabels(0);
        INDArray labelMask = batch.getLabelsMaskArray(0);
        if (!softmaxCrossEntropy(labelMask)) {
            // Other losses ask the loss function and the activation, objects the training thread uses too: now.
            emit(rows, b, labels, labelMask, from, sink);
            return new Deferred(score, Deferred.NOTHING);
        }
        Rows mine = rows;
        Rows next = spare.poll();
        rows = next != null ? next : new Rows();
        mine.y = mine.stageY.read(labels, mine.y);
        return new Deferred(score, () -> {
            try {
                emit(mine, b, null, null, from, sink);
            } finally {
                spare.offer(mine);
            }
        });
    }

    /**
     * @param mask the batch's label mask, or null
     * @return true for the common classifier, softmax with unweighted cross-entropy and no mask, whose
     *         {@code dL/dz = p - y} is computed on the heap without the layer's loss and activation objects
     */
    private boolean softmaxCrossEntropy(INDArray mask) {
        org.deeplearning4j.nn.conf.layers.OutputLayer conf = (org.deeplearning4j.nn.conf.layers.OutputLayer) layer.conf().getLayer();
        ILossFunction loss = conf.getLossFn();
        return mask == null && conf.getActivationFn() instanceof ActivationSoftmax && loss instanceof LossMCXENT
                && ((LossMCXENT) loss).getWeights() == null;
    }

    /** Forms the rows of a captured batch and hands them to the sink, in order. */
    private void emit(Rows r, int b, INDArray labels, INDArray mask, int from, UnitSink sink) {
        double[] m = fromLogits(r, b, labels, mask);
        int dim = r.dim;
        for (int i = 0; i < b; i++) {
            sink.accept(from + i, m, i * dim, dim);
        }
    }

    /** Checks the step and sets the model's batch; returns the batch (its labels are read later). */
    private MultiDataSet prepare(ModelAdapter model, ExampleStore data, UnitLayout layout, int worker, int[] order,
                                 int from, int to) {
        if (model != owner) {
            throw new IllegalArgumentException("this last-layer source is bound to another model replica");
        }
        int[] ex = layout.examples(worker, order, from, to);
        if (ex.length != to - from) {
            throw new IllegalArgumentException("example-last-layer orders single examples; units of worker " + worker
                    + " hold " + ex.length + " examples for " + (to - from) + " units");
        }
        if (data.outputs() != 1) {
            throw new IllegalArgumentException("example-last-layer gradients need a single output; the data has "
                    + data.outputs() + " label arrays");
        }
        // A MultiDataSet serves both kinds of store and both model types (as ModelAdapter.setBatch shows).
        MultiDataSet batch = data.multiBatch(ex);
        model.setBatch(batch);
        return batch;
    }

    /**
     * The model's forward and backward pass, capturing the output layer's input if asked.
     *
     * @throws IllegalStateException if asked to capture and the model reported no forward pass
     */
    private double forwardBackward(ModelAdapter model, boolean capturing) {
        capture.armed = capturing;
        capture.captured = false;
        double score;
        try {
            score = model.computeGradient();
        } finally {
            capture.armed = false;
        }
        if (capturing) {
            requireCaptured();
        }
        return score;
    }

    /**
     * Per-example output-layer gradients for given output-layer inputs and labels, as a new ND4J matrix (for tests
     * and diagnostics; training uses {@link #perExampleHeap}).
     *
     * @param h      output-layer inputs {@code [B, nIn]} (after any pre-processor)
     * @param labels labels {@code [B, nOut]}
     * @param mask   label mask or null
     * @return {@code [B, D]} in DOUBLE: row {@code i} is the c-order {@code [nIn, nOut]} matrix
     *         {@code h_i ⊗ δ_i} followed by {@code δ_i} (if the layer has a bias)
     */
    public INDArray perExample(INDArray h, INDArray labels, INDArray mask) {
        double[] m = perExampleHeap(h, labels, mask);
        long b = h.size(0);
        return Nd4j.create(java.util.Arrays.copyOf(m, (int) (b * rows.dim)), new long[] {b, rows.dim}, DataType.DOUBLE);
    }

    /**
     * Per-example output-layer gradients written into a reused heap array, row-major {@code [B, D]} with the row
     * layout of {@link #perExample}. Everything runs on the heap (for softmax with cross-entropy; other losses ask
     * the loss function for {@code dL/dz}): the logits and the outer products ({@code B * nIn * nOut}
     * multiply-adds each), where the ordering then balances the rows on its plain-array path. For one worker's
     * batch ND4J's fixed cost and allocations per op would exceed the arithmetic.
     *
     * @param h      output-layer inputs {@code [B, nIn]}
     * @param labels labels {@code [B, nOut]}
     * @param mask   label mask or null
     * @return the array (valid until the next call); row {@code i} starts at {@code i * D}
     */
    public double[] perExampleHeap(INDArray h, INDArray labels, INDArray mask) {
        if (h == null) {
            throw new IllegalArgumentException("output-layer input is null");
        }
        rows.h = stageH.read(h, rows.h);
        int b = (int) h.size(0);
        heapLogits(b);
        return fromLogits(rows, b, labels, mask);
    }

    /**
     * {@code z = h W + b} on the heap, into the current {@link Rows}, from its {@code h} and heap copies of the layer's
     * parameters (taken once per step when a trainer announces steps, else on every call). The product is {@code B x nIn x nOut} multiply-adds, which for one worker's batch costs less than
     * the fixed overhead and allocations of the equivalent ND4J ops.
     */
    private void heapLogits(int b) {
        INDArray w = layer.getParam("W");
        int nIn = (int) w.size(0);
        int nOut = (int) w.size(1);
        if (!paramsCurrent) {
            readParams(w);
            paramsCurrent = stepsAnnounced;
        }
        Rows r = rows;
        if (r.z == null || r.z.length < b * nOut) {
            r.z = new double[b * nOut];
        }
        if (layer.hasBias()) {
            for (int i = 0; i < b; i++) {
                System.arraycopy(hostB, 0, r.z, i * nOut, nOut);
            }
        } else {
            java.util.Arrays.fill(r.z, 0, b * nOut, 0.0);
        }
        for (int i = 0; i < b; i++) {
            int hi = i * nIn;
            for (int j = 0; j < nOut; j++) {
                r.z[i * nOut + j] += org.dgrab.core.balance.ArrayVectorBuffer.dot(r.h, hi, hostWT, j * nIn, nIn);
            }
        }
    }

    /** Copies {@code W} transposed (so that each logit is a contiguous dot product) and {@code b} to the heap. */
    private void readParams(INDArray w) {
        hostWT = stageW.read(w.transpose(), hostWT);
        if (layer.hasBias()) {
            hostB = stageB.read(layer.getParam("b"), hostB);
        }
    }

    /**
     * Per-example rows from a batch's heap copies of {@code h} and the logits, into that batch's scratch (so that
     * batches may be formed on another thread than the one capturing the next). Reads only the layer's shape and
     * configuration, which do not change.
     */
    private double[] fromLogits(Rows r, int b, INDArray labels, INDArray mask) {
        INDArray w = layer.getParam("W");
        int nIn = (int) w.size(0);
        int nOut = (int) w.size(1);
        boolean bias = layer.hasBias();
        org.deeplearning4j.nn.conf.layers.OutputLayer conf = (org.deeplearning4j.nn.conf.layers.OutputLayer) layer.conf().getLayer();
        ILossFunction loss = conf.getLossFn();
        IActivation act = conf.getActivationFn();
        int dim = nIn * nOut + (bias ? nOut : 0);
        if (softmaxCrossEntropy(mask)) {
            // dL/dz = p - y on the heap: for one worker's batch each further ND4J op would cost more than this
            // arithmetic. Null labels: already read into r.y (deferred rows).
            if (labels != null) {
                r.y = r.stageY.read(labels, r.y);
            }
            r.delta = softmaxMinusLabels(r, b, nOut);
        } else {
            INDArray z = Nd4j.create(java.util.Arrays.copyOf(r.z, b * nOut), new long[] {b, nOut}, DataType.DOUBLE)
                    .castTo(labels.dataType());
            r.delta = r.stageDelta.read(loss.computeGradient(labels, z, act, mask), r.delta);
        }
        if (r.heap == null || r.heap.length < b * dim) {
            r.heap = new double[b * dim];
        }
        r.dim = dim;
        double[] heap = r.heap;
        double[] hostH = r.h;
        double[] hostDelta = r.delta;
        for (int i = 0; i < b; i++) {
            int row = i * dim;
            int hi = i * nIn;
            int di = i * nOut;
            for (int a = 0; a < nIn; a++) {
                double ha = hostH[hi + a];
                int o = row + a * nOut;
                for (int j = 0; j < nOut; j++) {
                    heap[o + j] = ha * hostDelta[di + j];
                }
            }
            if (bias) {
                System.arraycopy(hostDelta, di, heap, row + nIn * nOut, nOut);
            }
        }
        return heap;
    }

    /** {@code softmax(z) - y} per example from the heap copies of the logits and labels; numerically stable. */
    private static double[] softmaxMinusLabels(Rows r, int b, int nOut) {
        double[] hostZ = r.z;
        double[] hostY = r.y;
        double[] d = r.delta == null || r.delta.length < b * nOut ? new double[b * nOut] : r.delta;
        for (int i = 0; i < b; i++) {
            int di = i * nOut;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < nOut; j++) {
                max = Math.max(max, hostZ[di + j]);
            }
            double sum = 0.0;
            for (int j = 0; j < nOut; j++) {
                d[di + j] = Math.exp(hostZ[di + j] - max);
                sum += d[di + j];
            }
            for (int j = 0; j < nOut; j++) {
                d[di + j] = d[di + j] / sum - hostY[di + j];
            }
        }
        return d;
    }

    /**
     * Copies arrays' values to the heap in c order. A contiguous c-order array is read in place; any other (a view
     * such as a weight matrix inside the flattened parameters, or an f-order array) is first copied into a staging
     * array kept for the next call, so no step allocates. Goes through the backend-neutral affinity manager, so on
     * CUDA the device data is synchronised to the host first.
     */
    private static final class HostCopy {
        private INDArray stage;

        double[] read(INDArray a, double[] dst) {
            long n = a.length();
            if (dst == null || dst.length < n) {
                dst = new double[(int) n];
            }
            INDArray c = a;
            if (a.ordering() != 'c' || a.isView() || a.data().length() != n) {
                if (stage == null || stage.dataType() != a.dataType() || !java.util.Arrays.equals(stage.shape(), a.shape())) {
                    try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        stage = Nd4j.create(a.dataType(), a.shape(), 'c');
                    }
                }
                stage.assign(a);
                c = stage;
            }
            Nd4j.getAffinityManager().ensureLocation(c, org.nd4j.linalg.api.concurrency.AffinityManager.Location.HOST);
            if (c.dataType() == DataType.FLOAT) {
                java.nio.FloatBuffer fb = c.data().asNioFloat();
                for (int i = 0; i < n; i++) {
                    dst[i] = fb.get(i);
                }
            } else if (c.dataType() == DataType.DOUBLE) {
                c.data().asNioDouble().get(0, dst, 0, (int) n);
            } else {
                System.arraycopy(c.toDoubleVector(), 0, dst, 0, (int) n);
            }
            return dst;
        }
    }

    /**
     * One batch's heap scratch: {@code h} and the logits (filled while capturing), the labels, {@code dL/dz} and the
     * per-example rows (filled when the rows are formed), with the staging arrays those reads use.
     */
    private static final class Rows {
        double[] h;
        double[] z;
        double[] y;
        double[] delta;
        double[] heap;
        int dim;
        final HostCopy stageY = new HostCopy();
        final HostCopy stageDelta = new HostCopy();
    }

    /** Captures the output layer's input during the forward pass of a gradient computation. */
    private final class Capture extends BaseTrainingListener {
        volatile boolean armed;
        boolean captured;
        int rows;
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
            // Activations live in a workspace that closes after the backward pass: take what we need now (a heap
            // copy of h, and the logits from it).
            INDArray x = a;
            if (pre != null) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    x = pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
                }
            }
            LastLayerGradientSource.this.rows.h = stageH.read(x, LastLayerGradientSource.this.rows.h);
            rows = (int) x.size(0);
            heapLogits(rows);
            captured = true;
        }
    }
}
