package org.dgrab.dl4j.iterator;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an {@link OrderingSession} stands in its epoch: the batches served (the cursor) and trained, the batches
 * taken outside a training loop, the served batches whose gradients have not arrived yet ({@link ServedBatches}),
 * whether the epoch is finished and whether a reset waits for its last gradient; with the checks that what a
 * training loop has trained did report its gradients.
 *
 * <p>Call order, per epoch: {@link #start()}; for each batch served {@link #servePeekedAgain} and
 * {@link #checkTrained} before it, {@link #served()} after it; {@link #trainedOne()} for each batch whose gradients
 * reached the strategy, then {@link #finish()} once the strategy has moved to the next epoch. A reset calls
 * {@link #rewind()} or {@link #requestReset()} (then {@link #checkLastTrained} before the next epoch); a restore
 * {@link #start()} and {@link #restoredAt}. Not thread-safe: the session calls it under its lock.
 */
final class EpochProgress {
    /** The session's logger: the message belongs to serving the session's batches. */
    private static final Logger log = LoggerFactory.getLogger(OrderingSession.class);

    private final IteratorSettings settings;
    private final BatchPlan plan;
    private final ServedBatches pending = new ServedBatches();
    private int cursor;
    private int trained;
    /**
     * Batches served at the start of this epoch outside any training loop (a peek with {@code next()} before
     * {@code fit}); when training then starts without a reset, they are served again.
     */
    private int peeked;
    /** Every batch of the epoch was trained and the strategy has moved to the next epoch; reset() serves it. */
    private boolean finished;
    /**
     * reset() came after the last batch was served but before its gradient arrived (MultipleEpochsIterator resets
     * at once): the next epoch is served as soon as that gradient has been observed.
     */
    private boolean resetRequested;

    /**
     * @param settings the session's settings
     * @param plan     its batches
     */
    EpochProgress(IteratorSettings settings, BatchPlan plan) {
        this.settings = settings;
        this.plan = plan;
    }

    /** Back to the start of an epoch: nothing served, trained or pending. */
    void start() {
        cursor = 0;
        trained = 0;
        peeked = 0;
        finished = false;
        resetRequested = false;
        pending.clear();
    }

    /** @return the served batches whose gradients have not arrived yet */
    ServedBatches pending() {
        return pending;
    }

    /** @return the index of the next batch to serve */
    int cursor() {
        return cursor;
    }

    /** @return batches whose gradients reached the strategy */
    int trained() {
        return trained;
    }

    /** @return true once every batch was trained and the strategy has moved to the next epoch */
    boolean finished() {
        return finished;
    }

    /** @return true if reset() waits for the last gradient of the epoch */
    boolean resetRequested() {
        return resetRequested;
    }

    /** @return true if a batch is left to serve, or the next epoch once a requested reset is done */
    boolean hasNext() {
        return resetRequested || cursor < plan.batches();
    }

    /** @return true if every batch of the epoch was served */
    boolean allServed() {
        return cursor == plan.batches();
    }

    /** Counts the batch at the cursor as served. */
    void served() {
        cursor++;
    }

    /** Serves the epoch again from its first batch, forgetting what was served and peeked. */
    void rewind() {
        cursor = 0;
        peeked = 0;
        pending.clear();
    }

    /** reset() came before the last gradient: the next epoch starts once it has been observed. */
    void requestReset() {
        resetRequested = true;
    }

    /**
     * Counts one more batch as trained.
     *
     * @return true if that was the epoch's last
     */
    boolean trainedOne() {
        trained++;
        return trained == plan.batches();
    }

    /** The strategy has moved to the next epoch. */
    void finish() {
        finished = true;
    }

    /** @return the position a checkpoint records: trained batches, 0 at the end of an epoch (the next one's start) */
    int checkpointPosition() {
        return finished ? 0 : trained;
    }

    /** @param position the restored position: batches served and trained */
    void restoredAt(int position) {
        cursor = position;
        trained = position;
    }

    /**
     * At the start of an epoch (nothing trained, nothing being observed) a training loop that finds batches already
     * taken outside any loop (a peek at {@code next()}, a partial evaluation pass) gets the epoch from its first batch:
     * the ordering needs every batch trained, and DL4J's {@code fit} does not reset an iterator that has batches left.
     *
     * @param inFlight gradients being observed
     * @param epoch    the epoch, for the log
     */
    void servePeekedAgain(int inFlight, int epoch) {
        if (!watching() || trained > 0 || inFlight > 0 || cursor != peeked) {
            return;
        }
        boolean inLoop = TrainingCaller.current().isPresent();
        if (!inLoop) {
            peeked++;
        } else if (peeked > 0) {
            log.info("dgrab: {} batch(es) of epoch {} were taken before training started (next() outside fit); the "
                    + "epoch is served again from its first batch, as the ordering needs every batch trained", peeked,
                    epoch);
            rewind();
        }
    }

    /**
     * Refuses to go on when batches a synchronous training loop has already trained never reported a gradient:
     * the model being trained is not the watched one, or its listeners were replaced where dgrab cannot see it.
     * Evaluation passes and prefetching threads have no training loop on their stack and are let through.
     *
     * @param inFlight gradients being observed
     * @param epoch    the epoch, for the message
     */
    void checkTrained(int inFlight, int epoch) {
        if (!watching() || inFlight > 0 || pending.isEmpty() || trained >= plan.trainedBefore(cursor)
                || pending.firstBatch() >= plan.trainedBefore(cursor)) {
            return;
        }
        TrainingCaller.current().ifPresent(loop -> {
            throw SessionErrors.missingGradient(loop, pending.firstBatch(), epoch, modelName(),
                    settings.parallelWrapper());
        });
    }

    /**
     * After a requested reset, before waiting for the last gradients: a synchronous training loop has trained them
     * on this very thread already, so for it a missing gradient is an error at once.
     *
     * @param inFlight gradients being observed
     * @param epoch    the epoch, for the message
     */
    void checkLastTrained(int inFlight, int epoch) {
        Optional<String> loop = TrainingCaller.current();
        if (loop.isPresent() && !loop.get().startsWith("ParallelWrapper") && inFlight == 0) {
            throw SessionErrors.missingGradient(loop.get(), pending.isEmpty() ? trained : pending.firstBatch(),
                    epoch, modelName(), settings.parallelWrapper());
        }
    }

    private boolean watching() {
        return settings.model().isPresent();
    }

    private String modelName() {
        return settings.model().get().getClass().getSimpleName();
    }
}
