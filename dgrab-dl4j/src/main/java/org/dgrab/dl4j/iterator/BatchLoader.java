package org.dgrab.dl4j.iterator;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.dgrab.dl4j.internal.data.ExampleSource;

/**
 * Loads an {@link OrderingSession}'s served batches from its source, in one of two modes, each a type: ahead of the
 * consumer on a {@link Prefetcher} for sources read on demand (files, record readers), or on the consumer's thread
 * for data copied into memory (a gather of host byte copies). Gathering in memory on the prefetch thread too was
 * tried and measured: on an idle machine it cost the training thread more CPU, not less (batch units +10.2 % over
 * plain {@code net.fit} against +5.3 %; the gathered batch then reaches the training core from another core's
 * cache, and the hand-over costs a wake-up per batch), so a gather stays where its batch is used.
 *
 * <p>Call order: {@link #load} from the session's one consumer thread; {@link #restart} whenever the orders change
 * (a new epoch, a restored checkpoint); {@link #close} once.
 */
abstract sealed class BatchLoader permits BatchLoader.Direct, BatchLoader.Prefetched {
    /** Batches an on-demand source is read ahead of training. */
    static final int PREFETCH_BATCHES = 4;

    private final ExampleSource<?> source;
    final SessionLayout layout;

    private BatchLoader(ExampleSource<?> source, SessionLayout layout) {
        this.source = source;
        this.layout = layout;
    }

    /**
     * @param source where the examples are
     * @param layout how served batches are made of units
     * @return a prefetching loader for a source read on demand, a direct one for data in memory
     */
    static BatchLoader of(ExampleSource<?> source, SessionLayout layout) {
        return source.onDemand() ? new Prefetched(source, layout) : new Direct(source, layout);
    }

    /** @return the source */
    final ExampleSource<?> source() {
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
    final <T> T load(int k, int epoch, int[][] orders) {
        try {
            return (T) fetch(k, orders);
        } catch (IOException e) {
            throw new UncheckedIOException("dgrab could not load batch " + k + " of epoch " + epoch + " from "
                    + source.describe() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("dgrab could not load batch " + k + " of epoch " + epoch + ": " + e, e);
        }
    }

    /** @return served batch {@code k} of the epoch with these orders */
    abstract Object fetch(int k, int[][] orders) throws Exception;

    /** Drops batches loaded ahead: the orders changed. */
    abstract void restart();

    /** Stops loading and releases the source. */
    void close() {
        source.close();
    }

    /** Data in memory: each batch is gathered on the consumer's thread when it is served. */
    static final class Direct extends BatchLoader {
        private Direct(ExampleSource<?> source, SessionLayout layout) {
            super(source, layout);
        }

        @Override
        Object fetch(int k, int[][] orders) throws Exception {
            return layout.load(source(), k, orders);
        }

        @Override
        void restart() {
        }
    }

    /** A source read on demand: batches are loaded ahead, in serving order, on a thread of their own. */
    static final class Prefetched extends BatchLoader {
        private final Prefetcher prefetcher = new Prefetcher(PREFETCH_BATCHES, "dgrab-prefetch");

        private Prefetched(ExampleSource<?> source, SessionLayout layout) {
            super(source, layout);
        }

        @Override
        Object fetch(int k, int[][] orders) throws Exception {
            return prefetcher.take(k, layout.plan().batches(), j -> layout.load(source(), j, orders));
        }

        @Override
        void restart() {
            prefetcher.stop();
        }

        @Override
        void close() {
            prefetcher.close();
            super.close();
        }
    }
}
