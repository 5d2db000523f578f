package org.dgrab.dl4j.internal.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Receives the gradient of one unit at one position of a worker's order, typically forwarding it to
 * {@code OrderingStrategy.observe}. The vector is only valid during the call. Large vectors (whole-model
 * gradients) arrive as ND4J arrays; small per-example vectors arrive as slices of a heap array, which the ordering
 * balances on its plain-array path without ND4J's fixed cost per operation.
 */
@FunctionalInterface
public interface UnitSink {
    /**
     * @param position position of the unit in the worker's current order (the strategy's step)
     * @param gradient the unit's gradient vector; read it now, do not keep it
     */
    void accept(int position, INDArray gradient);

    /**
     * Receives a unit's gradient held in a heap array. The default copies the slice into a new ND4J DOUBLE vector
     * and calls {@link #accept(int, INDArray)}, which suits simple sinks; sinks on a hot path (the trainer's)
     * override it to use the values in place.
     *
     * @param position position of the unit in the worker's current order
     * @param values   backing array; read {@code values[offset .. offset + dim)} now, do not keep it
     * @param offset   first element
     * @param dim      number of elements
     */
    default void accept(int position, double[] values, int offset, int dim) {
        accept(position, org.nd4j.linalg.factory.Nd4j.createFromArray(
                java.util.Arrays.copyOfRange(values, offset, offset + dim)));
    }
}
