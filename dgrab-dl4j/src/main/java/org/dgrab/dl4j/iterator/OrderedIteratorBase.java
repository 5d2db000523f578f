package org.dgrab.dl4j.iterator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.internal.data.ExampleSource;
import org.dgrab.dl4j.internal.data.ExampleSources;

/**
 * What {@link OrderedDataSetIterator} and {@link OrderedMultiDataSetIterator} do alike, over their
 * {@link OrderingSession}: the ordering, the listener, checkpoints, the epoch loop ({@code hasNext}/{@code next}/
 * {@code reset}) and closing. A subclass adds its DL4J iterator interface, its batch type's factory (with its
 * pre-processor) and its builder.
 *
 * @param <T> the batch type, DataSet or MultiDataSet
 */
abstract class OrderedIteratorBase<T> implements OrderedIterator, AutoCloseable {
    private final transient OrderingSession session;
    private final transient SourcePreProcessorGuard copyGuard;
    private final transient Supplier<?> sourcePreProcessor;

    /**
     * @param settings           validated settings
     * @param open               opens the wrapped iterator as a source ({@code ExampleSources.of}), once
     * @param wrapped            the wrapped iterator's type, for messages
     * @param resettable         whether the wrapped iterator can start again from its first batch
     * @param sourcePreProcessor reads the wrapped iterator's pre-processor now
     */
    OrderedIteratorBase(IteratorSettings settings, Supplier<? extends ExampleSource<?>> open, String wrapped,
                        BooleanSupplier resettable, Supplier<?> sourcePreProcessor) {
        SourcePreProcessorGuard guard = new SourcePreProcessorGuard(wrapped);
        this.copyGuard = guard;
        this.sourcePreProcessor = sourcePreProcessor;
        this.session = new OrderingSession(settings, ExampleSources.once(
                () -> guard.opened(open.get(), sourcePreProcessor.get()), resettable, wrapped));
    }

    /** @return the engine */
    final OrderingSession session() {
        return session;
    }

    /** @return the factory of served batches (applies the iterator's pre-processor) */
    abstract BatchFactory<T> batches();

    @Override
    public final OrderingStrategy ordering() {
        return session.strategy();
    }

    /**
     * @return where the served examples come from: a copy in memory, a record reader read on demand, or mini-batch
     *         files (opens the wrapped iterator on first call)
     */
    @SuppressWarnings("unchecked")
    public final ExampleSource<T> source() {
        return (ExampleSource<T>) session.source();
    }

    @Override
    public final int batchesPerEpoch() {
        return session.batches();
    }

    @Override
    public final TrainingListener gradientListener() {
        return session.listener();
    }

    @Override
    public final double listenerSeconds() {
        return session.listener().seconds();
    }

    @Override
    public final void saveState(OutputStream out) throws IOException {
        session.save(out);
    }

    @Override
    public final void restoreState(InputStream in) throws IOException {
        session.restore(in);
    }

    /** @return whether the epoch has batches left (reads the wrapped data on first call) */
    public final boolean hasNext() {
        return session.hasNext();
    }

    /** @return the epoch's next batch, in the ordering's order */
    public final T next() {
        T batch = session.next(batches());
        copyGuard.check(sourcePreProcessor.get());
        return batch;
    }

    /**
     * Not supported: the ordering defines the batches.
     *
     * @param num ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    public final T next(int num) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " serves the batches its ordering "
                + "defines; next(int) with a custom size is not supported");
    }

    /** Rewinds (nothing trained) or moves to the next epoch (every batch trained); see the class description. */
    public final void reset() {
        session.reset();
    }

    /** @return true: every epoch is served again */
    public final boolean resetSupported() {
        return true;
    }

    /** @return false: the iterator loads ahead by itself where loading is slow (on-demand sources); copies in memory are cheap gathers */
    public final boolean asyncSupported() {
        return false;
    }

    /** Releases the ordering's resources; the iterator cannot be used afterwards. */
    @Override
    public final void close() {
        session.close();
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "(" + session + ")";
    }
}
