package org.dgrab.dl4j.iterator;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.gradient.OutputLayerCapture;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a trained batch's gradient into the gradients of its units and hands them to the strategy: the model's
 * mini-batch gradient for batch units, or per-example output-layer rows from the forward pass that this object
 * captured on the same model (replica) for example units.
 *
 * <p>Call order per batch and model: {@link #onForwardPass} (example units keep the output layer's input), then
 * {@link #prepare} and running what it returns; {@link #clear()} at every epoch start, as ParallelWrapper makes new replicas. Thread-safe for
 * different models (one per ParallelWrapper worker).
 */
final class UnitGradients {
    private final IteratorSettings settings;
    /**
     * Per trained model (ParallelWrapper's replicas), its output-layer capture. By identity: DL4J models compare equal
     * when their parameters do, as averaged replicas' do.
     */
    private final Map<Model, OutputLayerCapture> captures = Collections.synchronizedMap(new IdentityHashMap<>());

    /** @param settings validated settings */
    UnitGradients(IteratorSettings settings) {
        this.settings = settings;
    }

    /** Forgets every model's capture. */
    void clear() {
        captures.clear();
    }

    /**
     * @param m           the model (MultiLayerNetwork) that ran a forward pass
     * @param activations its layers' activations
     */
    void onForwardPass(Model m, List<INDArray> activations) {
        OutputLayerCapture c = capture(m);
        if (c != null) {
            c.onForwardPass(activations);
        }
    }

    /**
     * @param m           the model (ComputationGraph) that ran a forward pass
     * @param activations its vertices' activations
     */
    void onForwardPass(Model m, Map<String, INDArray> activations) {
        OutputLayerCapture c = capture(m);
        if (c != null) {
            c.onForwardPass(activations);
        }
    }

    private OutputLayerCapture capture(Model m) {
        if (settings.granularity() == Granularity.BATCH || !settings.ordering().kind().needsGradients()) {
            return null;
        }
        return captures.computeIfAbsent(m, OutputLayerCapture::of);
    }

    /**
     * Prepares the handing of a trained batch's units' gradients to the strategy. Runs on the thread that trained
     * the batch, while the model's gradient and this model's capture still hold that batch; the returned
     * observation may run later, on another thread, when {@code copies} is given.
     *
     * @param strategy   the ordering
     * @param m          the model that computed the gradient
     * @param batch      the batch's index in the epoch, for messages
     * @param slices     which positions of which workers the batch holds
     * @param labels     the batch's labels
     * @param labelsMask its labels mask, or null
     * @param copies     where to copy the gradient for an observation that runs later, or null to observe on the
     *                   calling thread before it returns to DL4J (then the observation reads the arrays in place)
     * @return the observation: calls the strategy's {@code observe} for every unit of the batch, in order
     * @throws IllegalStateException for example units without a captured forward pass on {@code m}
     */
    Runnable prepare(OrderingStrategy strategy, Model m, int batch, BatchPlan.Slice[] slices, INDArray labels,
                     INDArray labelsMask, GradientCopies copies) {
        if (settings.granularity() == Granularity.BATCH) {
            BatchPlan.Slice sl = slices[0];
            INDArray g = m.gradient().gradient();
            if (copies == null) {
                return () -> strategy.observe(sl.worker(), sl.from(), g);
            }
            INDArray copy = copies.copy(g);
            return () -> {
                try {
                    strategy.observe(sl.worker(), sl.from(), copy);
                } finally {
                    copies.release(copy);
                }
            };
        }
        OutputLayerCapture c = captures.get(m);
        if (c == null) {
            throw new IllegalStateException("the " + m.getClass().getSimpleName() + " computed a gradient of batch "
                    + batch + " without a forward pass reported to dgrab's listener");
        }
        // The capture reuses its row array for the model's next batch.
        double[] rows = copies == null ? c.perExample(labels, labelsMask) : c.perExample(labels, labelsMask).clone();
        int dim = c.dimension();
        return () -> {
            int row = 0;
            for (BatchPlan.Slice sl : slices) {
                for (int p = sl.from(); p < sl.to(); p++) {
                    strategy.observe(sl.worker(), p, rows, dim * row++, dim);
                }
            }
        };
    }
}
