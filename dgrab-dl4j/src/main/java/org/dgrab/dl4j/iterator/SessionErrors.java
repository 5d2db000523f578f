package org.dgrab.dl4j.iterator;

import java.time.Duration;

/**
 * The refusals of an {@link OrderingSession}, worded in one place: each says what happened, in which epoch and
 * batch, and what the user can do about it.
 */
final class SessionErrors {
    private SessionErrors() {
    }

    /**
     * @param loop            the training loop on the stack, e.g. "MultiLayerNetwork.fit"
     * @param batch           the first trained batch whose gradient did not arrive
     * @param epoch           the ordering's epoch
     * @param model           simple class name of the watched model
     * @param parallelWrapper whether the iterator was built for ParallelWrapper
     * @return the refusal to go on ordering
     */
    static IllegalStateException missingGradient(String loop, int batch, int epoch, String model,
                                                 boolean parallelWrapper) {
        if (parallelWrapper) {
            return new IllegalStateException(loop + " trained batch " + batch + " of epoch " + epoch
                    + " without reporting its gradient to dgrab, so the ordering cannot go on. Build the "
                    + "OrderedDataSetIterator before the ParallelWrapper (ParallelWrapper.Builder moves the model's "
                    + "listeners, dgrab's included, to its workers), or add ordered.gradientListener() with "
                    + "wrapper.setListeners(...)");
        }
        if (loop.startsWith("ParallelWrapper")) {
            return new IllegalStateException("ParallelWrapper is training on this iterator, which was built without "
                    + "optParallelWrapper(n): ParallelWrapper deals the served batches to its n workers' replicas, so the "
                    + "iterator must serve every worker its own shard in turn. Build it with .optParallelWrapper(n) (n = "
                    + "the workers(n) of your ParallelWrapper), before building the ParallelWrapper");
        }
        return new IllegalStateException(loop + " trained batch " + batch + " of epoch " + epoch
                + " without its gradient reaching dgrab's listener on the " + model + " given to "
                + "setModel, so the ordering cannot go on. Train that same model on this iterator (another model was "
                + "probably fitted), or keep ordered.gradientListener() among its listeners");
    }

    /**
     * DL4J 1.0.0-M2.1's ParallelWrapper deadlocks on its second {@code fit()} in SHARED_GRADIENTS mode even without
     * dgrab (reproduced with a plain ExistingDataSetIterator): a new replica waits for the model's lock while
     * worker 0, holding it, waits for that replica's gradient.
     *
     * @return the refusal of a new pass after an epoch trained with shared gradients
     */
    static IllegalStateException secondSharedGradientsFit() {
        return new IllegalStateException("ParallelWrapper trained the last epoch in TrainingMode.SHARED_GRADIENTS, "
                + "and a new pass over the iterator is starting (reset() after a whole epoch, as a second "
                + "ParallelWrapper.fit does). DL4J 1.0.0-M2.1 deadlocks on a second fit() in this mode (a new replica "
                + "waits for the model's lock, which worker 0 holds while it waits for that replica's gradient), so "
                + "dgrab refuses it instead of hanging. Train every epoch in one call: "
                + "wrapper.fit(new MultipleEpochsIterator(epochs, ordered)), or use TrainingMode.AVERAGING");
    }

    /**
     * @param missing batches of the epoch without a gradient
     * @param epoch   the ordering's epoch
     * @param timeout how long the next epoch waited for them
     * @return the refusal to start the next epoch
     */
    static IllegalStateException epochNotTrained(int missing, int epoch, Duration timeout) {
        return new IllegalStateException("the next epoch was asked for, but " + missing + " served batch(es) of epoch "
                + epoch + " reported no gradient within " + timeout + "; every served batch must be trained on the "
                + "model given to setModel before the next epoch can be ordered");
    }

    /**
     * @param seen    the ordering worker whose batches the model trained before
     * @param worker  the worker of the batch it trained now
     * @param workers the iterator's ParallelWrapper workers
     * @param batch   that batch
     * @return the refusal of one replica training two workers' batches
     */
    static IllegalStateException replicaOfTwoWorkers(int seen, int worker, int workers, int batch) {
        return new IllegalStateException("one model trained batches of ordering workers " + seen + " and " + worker
                + ": optParallelWrapper(" + workers + ") needs ParallelWrapper with workers(" + workers + ") to train "
                + "on this iterator (batch " + batch + " belongs to worker " + worker + ")");
    }

    /**
     * @param batch    the batch whose gradient arrived
     * @param expected the batch whose gradient was due
     * @param epoch    the ordering's epoch
     * @return the refusal of a gradient out of serving order (one worker without ParallelWrapper)
     */
    static IllegalStateException outOfOrder(int batch, int expected, int epoch) {
        return new IllegalStateException("gradient of batch " + batch + " arrived, expected batch " + expected
                + " of epoch " + epoch + " (batches must be trained in the order they are served)");
    }
}
