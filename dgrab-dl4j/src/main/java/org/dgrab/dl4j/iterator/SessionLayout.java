package org.dgrab.dl4j.iterator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.data.ExampleStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an {@link OrderingSession} cuts the materialised examples: the units of each worker (source mini-batches or
 * single examples, sharded by the settings' {@code Sharding}) and the plan of which units each served batch holds.
 *
 * @param unitExamples per worker, per unit, its example indices
 * @param counts       units per worker
 * @param plan         the served batches of an epoch
 */
record SessionLayout(int[][][] unitExamples, int[] counts, BatchPlan plan) {
    private static final Logger log = LoggerFactory.getLogger(SessionLayout.class);

    /**
     * @param s        the examples
     * @param settings validated settings
     * @return the layout
     * @throws IllegalArgumentException if there are fewer units than workers
     */
    static SessionLayout of(ExampleStore s, IteratorSettings settings) {
        int workers = settings.workers();
        int[][] shards;
        int per;
        boolean batchUnits = settings.granularity() == Granularity.BATCH;
        int sourceBatch = s.sourceBatch(0).length;
        if (batchUnits) {
            // Units are the source's mini-batches; with ParallelWrapper they are dealt out in contiguous blocks.
            if (s.sourceBatches() < workers) {
                throw new IllegalArgumentException("cannot deal " + s.sourceBatches() + " mini-batches to " + workers
                        + " ParallelWrapper workers: every worker needs at least one");
            }
            shards = settings.sharding().split(s.sourceBatches(), workers, settings.ordering().seed());
            per = 1;
        } else {
            if (s.size() < workers) {
                throw new IllegalArgumentException("cannot shard " + s.size() + " examples over " + workers
                        + " workers: every worker needs at least one");
            }
            shards = settings.sharding().split(s.size(), workers, settings.ordering().seed());
            per = settings.batchSize() > 0 ? settings.batchSize()
                    : Math.max(1, settings.parallelWrapper() ? sourceBatch : sourceBatch / workers);
        }
        int[][][] u = new int[workers][][];
        int[] counts = new int[workers];
        for (int w = 0; w < workers; w++) {
            u[w] = new int[shards[w].length][];
            for (int j = 0; j < shards[w].length; j++) {
                u[w][j] = batchUnits ? s.sourceBatch(shards[w][j]) : new int[] {shards[w][j]};
            }
            counts[w] = shards[w].length;
        }
        BatchPlan p = settings.parallelWrapper() ? BatchPlan.roundRobin(counts, per) : BatchPlan.joined(counts, per);
        if (settings.parallelWrapper()) {
            partialLastRound(counts, per, batchUnits ? "mini-batches" : "examples").ifPresent(log::warn);
        }
        return new SessionLayout(u, counts, p);
    }

    /**
     * ParallelWrapper averages each round over the replicas that trained in it. When the workers' shards do not
     * all need the same number of batches, the epoch ends in a round of fewer than all workers, whose batches then
     * count several times as much as any other, just before the epoch ends: in our Fashion-MNIST runs with 4
     * workers this raised the end-of-epoch loss by up to 0.3 and decided the CD-GraB / D-RR comparison
     * (docs/benchmarks.md).
     *
     * @param counts units per worker, not increasing with the worker id
     * @param per    units per worker batch
     * @param what   what the units are, for the message
     * @return the warning to log, if the last round is partial
     */
    static Optional<String> partialLastRound(int[] counts, int per, String what) {
        int workers = counts.length;
        int steps = BatchPlan.steps(counts[0], per);
        int last = 0;
        for (int c : counts) {
            if (BatchPlan.steps(c, per) == steps) {
                last++;
            }
        }
        if (last == workers) {
            return Optional.empty();
        }
        int total = Arrays.stream(counts).sum();
        return Optional.of(String.format(Locale.ROOT, "dgrab: the %d %s dealt to ParallelWrapper's %d workers end "
                + "each epoch in a round of only %d worker(s): ParallelWrapper averages that round over %d replica(s), "
                + "so its batches count %s times as much as any other, right before the epoch ends. Give every worker "
                + "the same number of batches (e.g. %d %s instead of %d) to keep every round whole.",
                total, what, workers, last, last, workers % last == 0 ? String.valueOf(workers / last)
                        : String.format(Locale.ROOT, "%.1f", (double) workers / last),
                total / (workers * per) * workers * per, what, total));
    }

    /**
     * @param batch  served batch index within the epoch
     * @param orders the epoch's order of every worker
     * @return the examples of the batch: its slices' units, in slice and position order
     */
    int[] examples(int batch, int[][] orders) {
        BatchPlan.Slice[] slices = plan.slices(batch);
        int n = 0;
        for (BatchPlan.Slice sl : slices) {
            for (int p = sl.from(); p < sl.to(); p++) {
                n += unitExamples[sl.worker()][orders[sl.worker()][p]].length;
            }
        }
        int[] idx = new int[n];
        int k = 0;
        for (BatchPlan.Slice sl : slices) {
            for (int p = sl.from(); p < sl.to(); p++) {
                int[] e = unitExamples[sl.worker()][orders[sl.worker()][p]];
                System.arraycopy(e, 0, idx, k, e.length);
                k += e.length;
            }
        }
        return idx;
    }

    /** @return examples of the first served batch in the units' own order: the batch size of a full step */
    int fullBatchSize() {
        int size = 0;
        for (BatchPlan.Slice sl : plan.slices(0)) {
            for (int p = sl.from(); p < sl.to(); p++) {
                size += unitExamples[sl.worker()][p].length;
            }
        }
        return size;
    }
}
