package org.dgrab.dl4j.iterator;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The batches an {@link OrderingSession} has served whose gradients have not arrived yet, in serving order, and the
 * matching of an arriving gradient to the batch that was trained: the model's input array is the served batch's
 * features (by identity, else by value when a prefetching consumer or ParallelWrapper relocated the array), not the
 * batch served last. Not thread-safe: the session calls it under its lock.
 */
final class ServedBatches {
    /**
     * What a served batch was, until its gradient arrives.
     *
     * @param batch      its index in the epoch
     * @param slices     which positions of which workers it holds
     * @param key        its (first) features array
     * @param labels     its (first) labels array
     * @param labelsMask its (first) labels mask, or null
     * @param owned      the arrays to free once its gradient has been observed ({@link ServedMemory}), or null
     */
    record Served(int batch, BatchPlan.Slice[] slices, INDArray key, INDArray labels, INDArray labelsMask,
                  INDArray[] owned) {
    }

    private final ArrayDeque<Served> pending = new ArrayDeque<>();

    /** @param s a batch just served */
    void add(Served s) {
        pending.add(s);
    }

    /** @param s a matched batch whose gradient was refused: it stays pending, first */
    void putBack(Served s) {
        pending.addFirst(s);
    }

    void clear() {
        pending.clear();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** @return the index of the oldest pending batch; call only when not {@link #isEmpty()} */
    int firstBatch() {
        return pending.peek().batch();
    }

    /**
     * Finds and removes the pending batch a model trained on.
     *
     * @param in the model's (first) input array, or null
     * @return the batch, or null if none matches (the model trained on other data)
     */
    Served match(INDArray in) {
        if (in == null || pending.isEmpty()) {
            return null;
        }
        for (Iterator<Served> it = pending.iterator(); it.hasNext(); ) {
            Served s = it.next();
            if (s.key() == in) {
                it.remove();
                return s;
            }
        }
        for (Iterator<Served> it = pending.iterator(); it.hasNext(); ) {
            Served s = it.next();
            if (Arrays.equals(s.key().shape(), in.shape()) && s.key().equals(in)) {
                it.remove();
                return s;
            }
        }
        return null;
    }
}
