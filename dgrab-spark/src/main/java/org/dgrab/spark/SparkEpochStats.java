package org.dgrab.spark;

import java.util.List;

/**
 * What one epoch of {@link SparkOrderedTrainer} did.
 *
 * @param epoch           the epoch, from 0
 * @param meanBatchLoss   the example-weighted mean of the steps' losses as the executors computed them (what
 *                        {@code DataParallelTrainer}'s {@code EpochStats.meanBatchLoss} is for synchronous SGD)
 * @param seconds         wall time of the epoch on the driver
 * @param orderingSeconds driver time spent on the ordering: orders, their broadcast, balancing the reports, next
 *                        orders (the executors' sketching is inside the Spark jobs and not included)
 * @param steps           steps per worker (the longest shard's units)
 * @param jobs            Spark training jobs ({@code DL4J fit} calls), one per window of the averaging frequency
 * @param examples        examples trained
 * @param reports         step reports used (after deduplication)
 * @param reportBytes     bytes of those reports (key, loss, vector)
 * @param orderBytes      bytes of the broadcast orders
 * @param duplicates      reports dropped as duplicates of a key already received (retried or speculative tasks)
 * @param fallbackWorkers workers whose reports were missing and whose next order is D-RR's
 */
public record SparkEpochStats(int epoch, double meanBatchLoss, double seconds, double orderingSeconds, int steps,
                              int jobs, long examples, long reports, long reportBytes, long orderBytes, long duplicates,
                              List<Integer> fallbackWorkers) {

    /** @return ordering bytes of the epoch: reports plus orders */
    public long orderingBytes() {
        return reportBytes + orderBytes;
    }

    @Override
    public String toString() {
        return String.format("epoch %d: loss %.6f, %.2f s (ordering %.3f s), %d steps in %d jobs, %d examples, "
                        + "%d reports (%d B), orders %d B, %d duplicates dropped%s", epoch, meanBatchLoss, seconds,
                orderingSeconds, steps, jobs, examples, reports, reportBytes, orderBytes, duplicates,
                fallbackWorkers.isEmpty() ? "" : ", D-RR fallback for workers " + fallbackWorkers);
    }
}
