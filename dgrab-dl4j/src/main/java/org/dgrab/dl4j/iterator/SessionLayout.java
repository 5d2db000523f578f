package org.dgrab.dl4j.iterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.data.ExampleSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an {@link OrderingSession} cuts its source into units: the units of each worker (source mini-batches or single
 * examples, sharded by the settings' {@code Sharding}), the plan of which units each served batch holds, and how
 * many examples a full served batch has.
 *
 * @param units          per worker, its unit ids (example indices for example units, source batch indices for
 *                       batch units), indexed by the worker's unit labels
 * @param batchUnits     true if units are the source's mini-batches
 * @param counts         units per worker
 * @param plan           the served batches of an epoch
 * @param fullBatchSize  examples per served batch of a full step
 */
record SessionLayout(int[][] units, boolean batchUnits, int[] counts, BatchPlan plan, int fullBatchSize) {
    private static final Logger log = LoggerFactory.getLogger(SessionLayout.class);

    /**
     * @param s        where the examples come from
     * @param settings validated settings
     * @return the layout
     * @throws IllegalArgumentException if there are fewer units than workers, or example units were asked of a
     *                                  source that serves whole batches only
     */
    static SessionLayout of(ExampleSource<?> s, IteratorSettings settings) {
        int workers = settings.workers();
        int[][] shards;
        int per;
        boolean batchUnits = settings.granularity() == Granularity.BATCH;
        if (batchUnits) {
            // Units are the source's mini-batches; with ParallelWrapper they are dealt out in contiguous blocks.
            if (s.sourceBatches() < workers) {
                throw new IllegalArgumentException("cannot deal " + s.sourceBatches() + " mini-batches to " + workers
                        + " ParallelWrapper workers: every worker needs at least one");
            }
            shards = settings.sharding().split(s.sourceBatches(), workers, settings.ordering().seed());
            per = 1;
        } else {
            if (s.examples() < 0) {
                throw new IllegalArgumentException(s.describe() + " can only be ordered as whole mini-batches: use "
                        + "optGranularity(Granularity.BATCH)");
            }
            if (s.examples() < workers) {
                throw new IllegalArgumentException("cannot shard " + s.examples() + " examples over " + workers
                        + " workers: every worker needs at least one");
            }
            shards = settings.sharding().split(s.examples(), workers, settings.ordering().seed());
            per = settings.batchSize() > 0 ? settings.batchSize()
                    : Math.max(1, settings.parallelWrapper() ? s.batchSize() : s.batchSize() / workers);
            if (settings.batchSize() == 0 && s.unevenBatches()) {
                log.info("dgrab: the wrapped iterator's mini-batches differ in size; examples are served {} per {} "
                        + "(its batch size {}); set optBatchSize to choose another", per,
                        settings.parallelWrapper() || workers == 1 ? "batch" : "worker and batch", s.batchSize());
            }
        }
        int[] counts = new int[workers];
        for (int w = 0; w < workers; w++) {
            counts[w] = shards[w].length;
        }
        BatchPlan p = settings.parallelWrapper() ? BatchPlan.roundRobin(counts, per) : BatchPlan.joined(counts, per);
        if (settings.parallelWrapper()) {
            partialLastRound(counts, per, batchUnits ? "mini-batches" : "examples").ifPresent(log::warn);
        }
        int full = 0;
        for (BatchPlan.Slice sl : p.slices(0)) {
            for (int pos = sl.from(); pos < sl.to(); pos++) {
                full += batchUnits ? batchSize(s, shards[sl.worker()][pos]) : 1;
            }
        }
        return new SessionLayout(shards, batchUnits, counts, p, full);
    }

    private static int batchSize(ExampleSource<?> s, int batch) {
        try {
            return s.sourceBatchSize(batch);
        } catch (IOException e) {
            throw new UncheckedIOException("dgrab could not read the size of source batch " + batch + ": " + e.getMessage(), e);
        }
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
     * @return the unit ids of the batch, in slice and position order
     */
    int[] unitIds(int batch, int[][] orders) {
        BatchPlan.Slice[] slices = plan.slices(batch);
        int n = 0;
        for (BatchPlan.Slice sl : slices) {
            n += sl.to() - sl.from();
        }
        int[] ids = new int[n];
        int k = 0;
        for (BatchPlan.Slice sl : slices) {
            for (int p = sl.from(); p < sl.to(); p++) {
                ids[k++] = units[sl.worker()][orders[sl.worker()][p]];
            }
        }
        return ids;
    }

    /**
     * Loads a served batch.
     *
     * @param source where the examples are
     * @param batch  served batch index within the epoch
     * @param orders the epoch's order of every worker
     * @return the loaded batch
     * @throws IOException if the source cannot be read
     */
    Object load(ExampleSource<?> source, int batch, int[][] orders) throws IOException {
        int[] ids = unitIds(batch, orders);
        return batchUnits ? source.loadBatches(ids) : source.loadExamples(ids);
    }
}
