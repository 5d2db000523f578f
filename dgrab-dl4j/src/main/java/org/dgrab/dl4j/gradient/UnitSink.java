package org.dgrab.dl4j.gradient;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Receives the gradient of one unit at one position of a worker's order, typically forwarding it to
 * {@code OrderingStrategy.observe}. The vector is only valid during the call.
 */
@FunctionalInterface
public interface UnitSink {
    /**
     * @param position position of the unit in the worker's current order (the strategy's step)
     * @param gradient the unit's gradient vector; read it now, do not keep it
     */
    void accept(int position, INDArray gradient);
}
