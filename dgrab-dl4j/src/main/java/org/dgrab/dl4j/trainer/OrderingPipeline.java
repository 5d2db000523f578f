package org.dgrab.dl4j.trainer;

import org.dgrab.dl4j.internal.gradient.WorkerStep;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a worker's part of a step is computed and how its unit gradients reach the ordering strategy. One
 * implementation per mode: {@link InlinePipeline} (the ordering reads each gradient on the thread that computed
 * it), {@link LentReplicaPipeline} (batch units: replicas lend their gradients to an ordering thread) and
 * {@link DeferredRowsPipeline} (last-layer units: per-example rows formed and observed on an ordering thread).
 *
 * <p>Call order per synchronous step: {@link #beginStep()}, then {@link #compute} once per active worker (in worker
 * order, or in parallel for {@link InlinePipeline} with one replica per worker), each followed by reading
 * {@link #gradientOf} of that worker before the next {@code compute} of the same model, then {@link #endStep()};
 * {@link #awaitAll()} before the epoch ends or a checkpoint is written; {@link #settle()} before a restore; {@link #close()} at the end.
 */
interface OrderingPipeline extends AutoCloseable {

    /** Announces a step: parameters are fixed until the update (see {@code GradientSource.beginStep}). */
    void beginStep();

    /**
     * Computes one worker's part of the step; its summed gradient is then in {@link #gradientOf}{@code (worker)}.
     *
     * @param step the worker's units and where their gradients go (its model is chosen here; that of {@code step} is
     *             ignored)
     * @return the score (mean loss) over the step's examples
     */
    double compute(WorkerStep step);

    /**
     * Ends the step's computations (before the update): a pipeline that collects a step's ordering work hands it
     * on here, in one piece.
     */
    default void endStep() {
    }

    /**
     * @param worker a worker that computed in the current step
     * @return the model whose gradient array holds that worker's gradient
     */
    ModelAdapter gradientOf(int worker);

    /**
     * The trained model's gradient array, once nothing reads it any more, when the workers' gradients are summed in
     * place there; null when they are summed in a separate array.
     *
     * @return the array or null
     */
    default INDArray inPlaceSum() {
        return null;
    }

    /** Waits until the ordering has observed every gradient handed to it; rethrows the first ordering failure. */
    default void awaitAll() {
    }

    /** Before a restore: waits for the ordering and forgets its failure (the restore replaces its state). */
    default void settle() {
    }

    @Override
    default void close() {
    }
}
