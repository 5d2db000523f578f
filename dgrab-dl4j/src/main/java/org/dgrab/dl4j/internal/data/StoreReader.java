package org.dgrab.dl4j.internal.data;

import java.util.Iterator;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a wrapped iterator into the columns of an {@link ExampleStore} ({@link ExampleStore#materialise}): resets
 * it when it can, refuses one that is exhausted and cannot, warns about one read from where it stands, and names how
 * far the read got when a batch fails. Stateless.
 */
final class StoreReader {
    /** ExampleStore's logger: the warning belongs to materialising a store. */
    private static final Logger LOG = LoggerFactory.getLogger(ExampleStore.class);

    private StoreReader() {
    }

    /** Adds one batch of type {@code B} to the columns. */
    interface BatchAdder<B> {
        void add(ExampleColumns columns, int batch, B data);
    }

    /**
     * Reads every batch of an iterator into columns, resetting it first when it can; a batch at a time, so that
     * none is held after it is copied.
     */
    static <B> ExampleStore read(Iterator<B> source, boolean resettable, Runnable reset,
                                 Function<B, ExampleColumns> columns, BatchAdder<B> add, boolean multi) {
        Class<?> type = source.getClass();
        checkReadable(resettable, source.hasNext(), type);
        if (resettable) {
            reset.run();
        }
        warnIfNotResettable(resettable, type);
        ExampleColumns c = null;
        int b = 0;
        while (source.hasNext()) {
            B d = next(source::next, b, c, type);
            if (c == null) {
                c = columns.apply(d);
            }
            add.add(c, b++, d);
        }
        if (c == null) {
            throw new IllegalArgumentException("no data: the source produced no batches");
        }
        return c.build(multi);
    }

    /**
     * @param first  the first multi-input/multi-output batch
     * @param source the source's name
     * @return empty columns for as many inputs and outputs as the batch has
     * @throws IllegalArgumentException if it has no features or no labels
     */
    static ExampleColumns multiColumns(org.nd4j.linalg.dataset.api.MultiDataSet first, String source) {
        if (first.getFeatures() == null || first.getLabels() == null) {
            throw new IllegalArgumentException("batch 0 has no " + (first.getFeatures() == null ? "features" : "labels")
                    + "; dgrab needs labelled data");
        }
        return new ExampleColumns(first.getFeatures().length, first.getLabels().length, true, source);
    }

    /** A source that cannot reset is read from where it stands: batches taken from it before are not in the copy. */
    private static void warnIfNotResettable(boolean resettable, Class<?> type) {
        if (!resettable) {
            LOG.warn("dgrab: the wrapped {} cannot reset, so dgrab copies it from where it stands now; batches taken "
                    + "from it before wrapping are not part of training (the copy's size is logged when done)",
                    type.getSimpleName());
        }
    }

    /** Reads the next batch; a failure names how far the read got. */
    private static <B> B next(Supplier<B> next, int batch, ExampleColumns c, Class<?> type) {
        try {
            return next.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("reading the wrapped " + type.getSimpleName() + " failed at batch " + batch
                    + " (after " + batch + " batches, " + (c == null ? 0 : c.total) + " examples): " + e, e);
        }
    }

    private static void checkReadable(boolean resettable, boolean hasNext, Class<?> type) {
        if (!resettable && !hasNext) {
            throw new IllegalArgumentException("the wrapped iterator is exhausted and cannot reset ("
                    + type.getSimpleName() + ".resetSupported() is false)");
        }
    }
}
