package org.dgrab.lab.bench;

import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A cost floor for {@code dgrab cost --floors}: keeps the first gradient of every pair of a worker's steps (one copy
 * per even step into a per-worker buffer, as a pair ordering must before the second gradient of the pair
 * overwrites the model's gradient) and does nothing else with it; the orders are the wrapped gradient-free
 * ordering's. Its overhead over that ordering is the least any synchronous pair-based ordering (PairBalance, CD-GraB)
 * can cost on the training thread when the model computes each worker's gradient into the same array. Not an
 * ordering anyone should train with.
 */
public final class PairCopyFloor extends CostFloor {
    private final VectorBuffer[] first;
    private final VectorRef ref = new VectorRef();

    /**
     * @param delegate a gradient-free ordering (its orders are used unchanged)
     * @throws IllegalArgumentException if {@code delegate} uses gradients (the floor would add to its cost)
     */
    public PairCopyFloor(OrderingStrategy delegate) {
        super(delegate);
        this.first = new VectorBuffer[delegate.workers()];
    }

    @Override
    protected OrderingStrategy wrap(OrderingStrategy fresh) {
        return new PairCopyFloor(fresh);
    }

    @Override
    public void observe(int worker, int step, INDArray gradient) {
        super.observe(worker, step, gradient);
        if (step % 2 == 0) {
            keep(worker, ref.set(gradient));
        }
    }

    @Override
    public void observe(int worker, int step, double[] values, int offset, int dim) {
        super.observe(worker, step, values, offset, dim);
        if (step % 2 == 0) {
            keep(worker, ref.set(values, offset, dim));
        }
    }

    private void keep(int worker, VectorRef x) {
        if (first[worker] == null) {
            first[worker] = VectorBuffer.like(x, x.dim());
        }
        first[worker].assign(x);
    }
}
