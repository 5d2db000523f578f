package org.dgrab.dl4j.trainer;

/**
 * What one epoch of {@link DataParallelTrainer} cost and achieved.
 *
 * @param epoch            epoch index (0-based)
 * @param meanBatchLoss    mean of the step scores, weighted by examples (loss during the epoch, not after it)
 * @param seconds          wall time of the epoch
 * @param orderingSeconds  time spent inside the ordering strategy (observing gradients and computing the next
 *                         order); part of {@code seconds}, except that with asynchronous ordering
 *                         ({@code DataParallelTrainer.Builder.optAsyncOrdering}) the observing runs on the ordering
 *                         thread beside training, so it is work done, not time the epoch waited
 * @param steps            synchronous steps (parameter updates)
 * @param examples         examples processed
 * @param messages         ordering messages exchanged in this epoch (CD-GraB only; 0 otherwise)
 * @param bytes            bytes of those messages
 */
public record EpochStats(int epoch, double meanBatchLoss, double seconds, double orderingSeconds, int steps, long examples,
                         long messages, long bytes) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "epoch %d: loss %.5f, %.2f s (ordering %.3f s), %d steps, %d examples, %d messages (%d B)", epoch,
                meanBatchLoss, seconds, orderingSeconds, steps, examples, messages, bytes);
    }
}
