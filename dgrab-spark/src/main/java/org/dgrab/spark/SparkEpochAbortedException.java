package org.dgrab.spark;

/**
 * An epoch of {@link SparkOrderedTrainer} stopped part-way: a Spark job failed beyond Spark's retries (or the reports
 * it returned could not be used), after earlier windows of the epoch had already changed the model. The model then
 * holds parameters of a partial epoch that no checkpoint or order describes, so the trainer refuses every further
 * {@code fitEpoch}, {@code fit} and {@code save} (without running a Spark job) until
 * {@link SparkOrderedTrainer#restore} loads a checkpoint written between epochs.
 *
 * <p>The message names the cause (the first line of Spark's message and the first cause that this line does not
 * quote), the epoch and the window of steps whose job failed, and what to do.
 */
public final class SparkEpochAbortedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int fromStep;
    private final int toStep;

    SparkEpochAbortedException(String message, int epoch, int fromStep, int toStep, Throwable cause) {
        super(message, cause);
        this.epoch = epoch;
        this.fromStep = fromStep;
        this.toStep = toStep;
    }

    /** @return the epoch that stopped */
    public int epoch() {
        return epoch;
    }

    /** @return the first step of the window whose job failed */
    public int fromStep() {
        return fromStep;
    }

    /** @return the end (exclusive) of the window whose job failed */
    public int toStep() {
        return toStep;
    }
}
