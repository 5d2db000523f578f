package org.dgrab.dl4j.iterator;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.dgrab.dl4j.internal.data.ExampleSource;

/**
 * Loads an {@link OrderingSession}'s served batches from its source ahead of the consumer, on a {@link Prefetcher}:
 * reads of sources read on demand (files, record readers) and gathers of data in memory alike. A gather is a
 * fresh native allocation and a copy per batch, about 5 % of a small model's training thread; DL4J's own pipeline
 * ({@code AsyncDataSetIterator}) does that work on its prefetch thread too, so doing it on the training thread
 * would put it on the critical path that plain {@code net.fit} keeps free.
 *
 * <p>Call order: {@link #load} from the session's one consumer thread; {@link #restart} whenever the orders change
 * (a new epoch, a restored checkpoint); {@link #close} once.
 */
final class BatchLoader {
    /** Batches loaded ahead of training. */
    static final int PREFETCH_BATCHES = 4;

    private final ExampleSource<?> source;
    private final SessionLayout layout;
    private final Prefetcher prefetcher;

    /**
     * @param source where the examples are
     * @param layout how served batches are made of units
     */
    BatchLoader(ExampleSource<?> source, SessionLayout layout) {
        this.source = source;
        this.layout = layout;
        this.prefetcher = new Prefetcher(PREFETCH_BATCHES, "dgrab-prefetch");
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
            Object b = prefetcher.take(k, layout.plan().batches(), j -> layout.load(source, j, orders));
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
        prefetcher.stop();
    }

    /** Stops loading and releases the source. */
    void close() {
        prefetcher.close();
        source.close();
    }
}
