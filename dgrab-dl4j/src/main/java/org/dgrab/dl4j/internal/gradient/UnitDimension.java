package org.dgrab.dl4j.internal.gradient;

import org.deeplearning4j.nn.api.Model;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;

/**
 * The length of one unit's gradient for a model and granularity, known before any training step. The builders use
 * it to refuse a sketch at least as wide as the gradient when they are built, instead of at the first gradient
 * (by then a run has loaded its data and evaluated its initial model, which the refusal would throw away).
 */
public final class UnitDimension {
    private UnitDimension() {
    }

    /**
     * @param granularity what a unit is
     * @param model       an initialised MultiLayerNetwork or ComputationGraph
     * @return the number of values in one unit's gradient: all parameters for batch and example-exact units, the
     *         output layer's weights and bias for example-last-layer units
     * @throws IllegalArgumentException if example-last-layer units do not apply to the model (as
     *                                  {@link OutputLayerCapture#of} says)
     */
    public static long of(Granularity granularity, Model model) {
        return granularity == Granularity.EXAMPLE_LAST_LAYER ? OutputLayerCapture.of(model).dimension() : model.numParams();
    }

    /**
     * Refuses an ordering whose sketch is wider than the gradients it would sketch.
     *
     * @param ordering    the ordering configuration
     * @param granularity what a unit is
     * @param model       the model that will be trained
     * @throws IllegalArgumentException naming k, the gradient's length and the granularity, if k exceeds it
     */
    public static void checkSketch(OrderingConfig ordering, Granularity granularity, Model model) {
        int k = ordering.sketchDim();
        if (k == 0 || !ordering.kind().needsGradients()) {
            return;
        }
        long d = of(granularity, model);
        if (k > d) {
            throw new IllegalArgumentException("sketch dimension " + k + " exceeds the gradient dimension " + d + " of "
                    + granularity.id() + " units for this model; choose a sketch dimension of at most " + d
                    + (granularity == Granularity.EXAMPLE_LAST_LAYER ? " or batch units (all " + model.numParams()
                    + " parameters)" : ""));
        }
    }
}
