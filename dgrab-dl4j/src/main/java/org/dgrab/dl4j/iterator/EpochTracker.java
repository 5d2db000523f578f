package org.dgrab.dl4j.iterator;

import java.util.NoSuchElementException;

import org.dgrab.core.OrderingStrategy;

/**
 * Bookkeeping shared by the drop-in iterators: which served batch an arriving gradient belongs to, and what a
 * {@code reset()} means for the ordering.
 *
 * <p>A pass in which nothing was trained (a fresh epoch, or {@code net.evaluate(iterator)}) only rewinds; a pass
 * whose every batch was trained ends the ordering's epoch; a reset in between is an error, because the ordering
 * needs every gradient of the epoch. Without a watched model, trained and untrained passes cannot be told apart,
 * so every complete pass ends an epoch.
 */
final class EpochTracker {
    private final OrderingStrategy strategy;
    private final boolean watching;
    private int batches;
    private int cursor;
    private int trained;
    private Object servedInput;

    /**
     * @param strategy the ordering
     * @param watching true if a listener on the trained model reports gradients
     */
    EpochTracker(OrderingStrategy strategy, boolean watching) {
        this.strategy = strategy;
        this.watching = watching;
    }

    /**
     * Starts serving an epoch.
     *
     * @param batchCount batches in the epoch
     */
    void startEpoch(int batchCount) {
        batches = batchCount;
        cursor = 0;
        trained = 0;
        servedInput = null;
    }

    /** @return batches in the current epoch */
    int batches() {
        return batches;
    }

    /** @return true while batches are left in the epoch */
    boolean hasNext() {
        return cursor < batches;
    }

    /** @return index of the batch to serve next; call {@link #served} once it is built */
    int nextIndex() {
        if (cursor >= batches) {
            throw new NoSuchElementException("epoch " + strategy.epoch() + " has only " + batches
                    + " batches; call reset() for the next epoch");
        }
        return cursor;
    }

    /**
     * Records that the batch at {@link #nextIndex()} was handed out.
     *
     * @param input the batch's (first) features array, by identity: the model's input when it trains on it
     */
    void served(Object input) {
        servedInput = input;
        cursor++;
    }

    /**
     * Matches a gradient to the batch it was computed on.
     *
     * @param modelInput the model's current (first) input array
     * @return the index of the served batch, or -1 if the gradient is not of a batch served here
     * @throws IllegalStateException if gradients arrive out of step with served batches
     */
    int gradientFor(Object modelInput) {
        if (servedInput == null || modelInput != servedInput) {
            return -1;
        }
        int batch = cursor - 1;
        if (trained != batch) {
            throw new IllegalStateException("gradient of batch " + batch + " arrived, expected batch " + trained
                    + " of epoch " + strategy.epoch());
        }
        return batch;
    }

    /** Records that the batch matched by {@link #gradientFor} was trained on. */
    void trainedOne() {
        trained++;
        servedInput = null;
    }

    /**
     * Handles {@code reset()}.
     *
     * @return true if the ordering moved to its next epoch (the caller rebuilds its orders and calls
     *         {@link #startEpoch}), false if the pass was only rewound
     * @throws IllegalStateException after training on part of an epoch
     */
    boolean reset() {
        boolean complete = watching ? trained == batches : cursor == batches;
        if (watching && trained == 0 || !watching && !complete) {
            cursor = 0;
            servedInput = null;
            return false;
        }
        if (!complete) {
            throw new IllegalStateException("reset() after training on " + trained + " of " + batches
                    + " batches of epoch " + strategy.epoch() + ": " + strategy.config().kind().id()
                    + " needs a whole epoch before it can reorder");
        }
        strategy.endEpoch();
        return true;
    }
}
