package org.dgrab.dl4j.internal.gradient;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * {@code example-last-layer} granularity: the exact per-example gradient of the output layer's parameters, from
 * the forward pass that the normal mini-batch step does anyway. For a dense output layer {@code z = h W + b},
 * example {@code i}'s gradient is {@code h_i ⊗ δ_i} for {@code W} and {@code δ_i} for {@code b}, where
 * {@code δ = dL/dz} comes from the layer's own loss function and activation (for softmax with cross-entropy,
 * {@code p - y}). The unit vector has {@code nIn * nOut + nOut} values.
 *
 * <p>The input {@code h} of the output layer is captured by an {@link OutputLayerCapture}, fed by a listener this
 * source registers on the model; the extra work per step is one {@code [B, nIn] x [nIn, nOut]} product, the loss
 * gradient and the outer products. Supported models: those {@link OutputLayerCapture#of} accepts.
 */
public final class LastLayerGradientSource implements GradientSource {
    private final ModelAdapter owner;
    private final OutputLayerCapture capture;
    private final Forwarder forwarder = new Forwarder();
    /** Scratch of batches whose rows were formed later (deferred), ready for reuse; any thread returns them. */
    private final ConcurrentLinkedQueue<HeapBatch> spare = new ConcurrentLinkedQueue<>();

    /**
     * Checks the model and registers the capturing listener.
     *
     * @param model the model
     * @throws IllegalArgumentException if the output layer is not supported (the message says which are)
     */
    public LastLayerGradientSource(ModelAdapter model) {
        this.owner = model;
        this.capture = OutputLayerCapture.of(model.model());
        if (model.isGraph()) {
            ((ComputationGraph) model.model()).addListeners(forwarder);
        } else {
            ((MultiLayerNetwork) model.model()).addListeners(forwarder);
        }
    }

    /**
     * Keeps capturing the output layer's input on every forward pass (for code that does not call
     * {@link #compute}, such as a listener-driven iterator), or stops.
     *
     * @param on true to capture
     */
    public void setCapturing(boolean on) {
        forwarder.armed = on;
    }

    /**
     * Per-example gradients of the batch whose forward pass was captured last (see {@link #setCapturing}), in the
     * layout of {@link OutputLayerCapture#perExample}.
     *
     * @param labels that batch's labels
     * @param mask   that batch's label mask, or null
     * @return the heap array (valid until the next call); row {@code i} starts at {@code i * dimension()}
     * @throws IllegalStateException if no forward pass was captured
     */
    public double[] capturedPerExample(INDArray labels, INDArray mask) {
        return capture.perExample(labels, mask);
    }

    /** @return length of one example's vector, {@code nIn * nOut + nOut} (or without bias) */
    public long dimension() {
        return capture.dimension();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the output layer's weights are copied to the heap once per step rather than once per worker.
     */
    @Override
    public void beginStep() {
        capture.beginStep();
    }

    @Override
    public double compute(WorkerStep step) {
        MultiDataSet batch = prepare(step);
        double score = forwardBackward(step.model(), step.wantsUnitGradients());
        if (step.wantsUnitGradients()) {
            capture.emitPerExample(batch.getLabels(0), batch.getLabelsMaskArray(0), step.from(), step.sink());
        }
        return score;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the forward and backward pass and the heap copies of {@code h}, the labels and (once per step) the
     * layer's parameters run now; the logits, forming the per-example rows ({@code nIn * nOut + nOut} values each,
     * one at a time in one reused row) and handing them to the sink run in the returned task, on the scratch of this
     * batch alone, so the task may run on another thread while this source computes the next batch.
     */
    @Override
    public Deferred computeDeferred(WorkerStep step) {
        if (!step.wantsUnitGradients()) {
            return new Deferred(compute(step), Deferred.NOTHING);
        }
        MultiDataSet batch = prepare(step);
        double score = forwardBackward(step.model(), true);
        int from = step.from();
        UnitSink sink = step.sink();
        INDArray labels = batch.getLabels(0);
        INDArray labelMask = batch.getLabelsMaskArray(0);
        if (!capture.heapOnly(labelMask)) {
            // Other losses ask the loss function and the activation, objects the training thread uses too: now.
            capture.emitPerExample(labels, labelMask, from, sink);
            return new Deferred(score, Deferred.NOTHING);
        }
        HeapBatch next = spare.poll();
        HeapBatch mine = capture.swapBatch(next != null ? next : new HeapBatch());
        mine.y = mine.stageY.read(labels, mine.y);
        return new Deferred(score, () -> {
            try {
                capture.emitRows(mine, null, null, from, sink);
            } finally {
                spare.offer(mine);
            }
        });
    }

    /** Checks the step and sets the model's batch; returns the batch (its labels are read later). */
    private MultiDataSet prepare(WorkerStep step) {
        if (step.model() != owner) {
            throw new IllegalArgumentException("this last-layer source is bound to another model replica");
        }
        int[] ex = step.examples();
        if (ex.length != step.units()) {
            throw new IllegalArgumentException("example-last-layer orders single examples; units of worker "
                    + step.worker() + " hold " + ex.length + " examples for " + step.units() + " units");
        }
        ExampleStore data = step.data();
        if (data.outputs() != 1) {
            throw new IllegalArgumentException("example-last-layer gradients need a single output; the data has "
                    + data.outputs() + " label arrays");
        }
        // A MultiDataSet serves both kinds of store and both model types (as ModelAdapter.setBatch shows).
        MultiDataSet batch = data.multiBatch(ex);
        step.model().setBatch(batch);
        return batch;
    }

    /**
     * The model's forward and backward pass, capturing the output layer's input if asked.
     *
     * @throws IllegalStateException if asked to capture and the model reported no forward pass
     */
    private double forwardBackward(ModelAdapter model, boolean capturing) {
        forwarder.armed = capturing;
        capture.clear();
        double score;
        try {
            score = model.computeGradient();
        } finally {
            forwarder.armed = false;
        }
        if (capturing) {
            capture.requireCaptured();
        }
        return score;
    }

    /** Forwards the model's forward passes to the capture while armed. */
    private final class Forwarder extends BaseTrainingListener {
        volatile boolean armed;

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            if (armed) {
                capture.onForwardPass(activations);
            }
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            if (armed) {
                capture.onForwardPass(activations);
            }
        }
    }
}
