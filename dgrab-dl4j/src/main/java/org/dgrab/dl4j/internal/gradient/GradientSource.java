package org.dgrab.dl4j.internal.gradient;

import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.model.ModelAdapter;

/**
 * Computes one worker's part of a training step and the gradients of the units in it. Whatever the granularity,
 * afterwards the model's gradient view holds the gradient summed over all examples of the step (what DL4J's
 * updater expects before dividing by the batch size), so the update is the same as for the whole batch.
 *
 * <p>Implementations are stateless apart from reusable buffers; one instance per model replica. Call order:
 * {@link #beginStep()}, then {@link #compute} once per worker sharing this source, for every synchronous step.
 */
public interface GradientSource {

    /**
     * Creates the source of a granularity.
     *
     * @param granularity granularity
     * @param model       model whose gradients are read (last-layer mode registers a listener on it)
     * @return the source
     */
    static GradientSource of(Granularity granularity, ModelAdapter model) {
        switch (granularity) {
            case BATCH:
                return new BatchGradientSource();
            case EXAMPLE_EXACT:
                return new ExactGradientSource();
            case EXAMPLE_LAST_LAYER:
                return new LastLayerGradientSource(model);
            default:
                throw new AssertionError(granularity);
        }
    }

    /**
     * Announces a new synchronous step: the model's parameters may have changed since the last {@link #compute}
     * (an update, a restore), but will not change until the next call of this method. Sources may cache what they
     * derive from the parameters in between. Does nothing by default.
     */
    default void beginStep() {
    }

    /**
     * Computes the step of one worker.
     *
     * @param step the worker's units, model, data and sink
     * @return the score (mean loss) over the step's examples
     */
    double compute(WorkerStep step);

    /**
     * Like {@link #compute}, but may leave the per-unit work that only the ordering needs to a task the caller runs
     * later, possibly on another thread, while this source computes further steps. The model's gradient is complete
     * on return, as after {@code compute}. Tasks must run in the order they were returned; each runs once. By
     * default everything is done now and the task does nothing.
     *
     * @param step the worker's units, model, data and sink
     * @return the score and the task that hands the units' gradients to the step's sink
     */
    default Deferred computeDeferred(WorkerStep step) {
        return new Deferred(compute(step), Deferred.NOTHING);
    }

    /**
     * What {@link #computeDeferred} returns.
     *
     * @param score the score (mean loss) over the step's examples
     * @param emit  hands the units' gradients to the sink when run
     */
    record Deferred(double score, Runnable emit) {
        /** A task with nothing left to do. */
        public static final Runnable NOTHING = () -> { };
    }
}
