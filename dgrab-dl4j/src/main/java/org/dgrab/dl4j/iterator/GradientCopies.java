package org.dgrab.dl4j.iterator;

import java.util.concurrent.ConcurrentLinkedQueue;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reused copies of models' gradient arrays for the {@link org.dgrab.dl4j.internal.gradient.OrderingThread}: DL4J's updater turns the gradient array
 * into the update in place right after the listener returns, so an observation that runs later needs its own
 * copy. Copies are allocated outside any workspace (the observer thread outlives the training step) and given back
 * after the observation; their number is bounded by the observer's capacity. Thread-safe.
 */
final class GradientCopies {
    private final ConcurrentLinkedQueue<INDArray> free = new ConcurrentLinkedQueue<>();

    /**
     * @param gradient the array to copy (a model's flattened gradient)
     * @return a detached array with the same data type, shape and values
     */
    INDArray copy(INDArray gradient) {
        INDArray c = free.poll();
        while (c != null && (c.dataType() != gradient.dataType() || !c.equalShapes(gradient))) {
            c = free.poll();
        }
        if (c == null) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                c = Nd4j.createUninitialized(gradient.dataType(), gradient.shape(), gradient.ordering());
            }
        }
        return c.assign(gradient);
    }

    /** @param copy a copy from {@link #copy} that is no longer used */
    void release(INDArray copy) {
        free.offer(copy);
    }
}
