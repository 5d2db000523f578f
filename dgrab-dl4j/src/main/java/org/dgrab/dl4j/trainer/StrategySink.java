package org.dgrab.dl4j.trainer;

import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.internal.gradient.UnitSink;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forwards one worker's unit gradients to the strategy ({@code observe(worker, position, gradient)}) and adds up the
 * time spent there. Runs on whichever thread computes or orders for the worker; {@link #takeNanos()} is read after
 * that thread's work is known to be done (a joined task).
 */
final class StrategySink implements UnitSink {
    private final OrderingStrategy strategy;
    private final int worker;
    private long nanos;

    /**
     * @param strategy the ordering
     * @param worker   the worker whose gradients this sink forwards
     */
    StrategySink(OrderingStrategy strategy, int worker) {
        this.strategy = strategy;
        this.worker = worker;
    }

    @Override
    public void accept(int position, INDArray gradient) {
        long t0 = System.nanoTime();
        strategy.observe(worker, position, gradient);
        nanos += System.nanoTime() - t0;
    }

    @Override
    public void accept(int position, double[] values, int offset, int dim) {
        long t0 = System.nanoTime();
        strategy.observe(worker, position, values, offset, dim);
        nanos += System.nanoTime() - t0;
    }

    /** @return nanoseconds spent in the strategy since the last call */
    long takeNanos() {
        long n = nanos;
        nanos = 0;
        return n;
    }
}
