package org.dgrab.dl4j.iterator;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.dgrab.dl4j.data.ExampleSource;

/**
 * Loads an {@link OrderingSession}'s served batches from its source: on the consumer's thread for data in memory
 * (a gather), ahead of it on a {@link Prefetcher} for sources read on demand (files, record readers).
 *
 * <p>Call order: {@link #load} from the session's one consumer thread; {@link #restart} whenever the orders change
 * (a new epoch, a restored checkpoint); {@link #close} once.
 */
final class BatchLoader {
    /** Batches an on-demand source is read ahead of training. */
    static final int PREFETCH_BATCHES = 4;

    private final ExampleSource<?> source;
    private final SessionLayout layout;
    /** Null for data in memory. */
    private final Prefetcher prefetcher;

    /**
     * @param source where the examples are
     * @param layout how served batches are made of units
     */
    BatchLoader(ExampleSource<?> source, SessionLayout layout) {
        this.source = source;
        this.layout = layout;
        this.prefetcher = source.onDemand() ? new Prefetcher(PREFETCH_BATCHES, "dgrab-prefetch") : null;
    }

    /** @return the source */
    ExampleSource<?> source() {
        return source;
    }

    /**
     * @param k      served batch index in the epoch
     * @param epoch  the epoch, for messages
     * @param orders the epoch's order of every worker
     * @param <T>    DataSet or MultiDataSet
     * @return the loaded batch
     * @throws UncheckedIOException naming batch, epoch and source when the source cannot be read
     */
    @SuppressWarnings("unchecked")
    <T> T load(int k, int epoch, int[][] orders) {
        try {
            Object b = prefetcher == null ? layout.load(source, k, orders)
                    : prefetcher.take(k, layout.plan().batches(), j -> layout.load(source, j, orders));
            return (T) b;
        } catch (IOException e) {
            throw new UncheckedIOException("dgrab could not load batch " + k + " of epoch " + epoch + " from "
                    + source.describe() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("dgrab could not load batch " + k + " of epoch " + epoch + ": " + e, e);
        }
    }

    /** Drops batches loaded ahead: the orders changed. */
    void restart() {
        if (prefetcher != null) {
            prefetcher.stop();
        }
    }

    /** Stops loading and releases the source. */
    void close() {
        if (prefetcher != null) {
            prefetcher.close();
        }
        source.close();
    }
}
