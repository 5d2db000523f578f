package org.dgrab.dl4j.internal.data;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.datasets.datavec.RecordReaderMultiDataSetIterator;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator;
import org.deeplearning4j.datasets.iterator.file.FileDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ExistingMiniBatchDataSetIterator;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Chooses how a drop-in iterator reads the iterator it wraps: DataVec record-reader iterators on demand by their
 * {@code RecordMetaData} ({@link MetaDataSource}), pre-saved mini-batch files one file at a time
 * ({@link FileBatchSource}), anything else copied into memory once ({@link ExampleStore}). Only the exact DL4J types
 * are recognised; an iterator wrapped in another (an {@code AsyncDataSetIterator}, say) is copied, so wrap the
 * record-reader or file iterator itself.
 */
public final class ExampleSources {
    private ExampleSources() {
    }

    /**
     * @param source the wrapped iterator
     * @return where its examples will be read from; record-reader and file sources are read (or listed) now, any
     *         other iterator is copied into memory now
     */
    public static ExampleSource<DataSet> of(DataSetIterator source) {
        if (source instanceof RecordReaderDataSetIterator r) {
            return MetaDataSource.of(r);
        }
        if (source instanceof SequenceRecordReaderDataSetIterator s) {
            return MetaDataSource.of(s);
        }
        if (source instanceof ExistingMiniBatchDataSetIterator e) {
            return FileBatchSource.of(e);
        }
        if (source instanceof FileDataSetIterator f) {
            return FileBatchSource.of(f);
        }
        return ExampleStore.materialise(source).dataSets(batchOrZero(source::batch));
    }

    /**
     * @param source the wrapped multi-input/multi-output iterator
     * @return where its examples will be read from (record-reader iterators on demand, others copied into memory)
     */
    public static ExampleSource<MultiDataSet> of(MultiDataSetIterator source) {
        if (source instanceof RecordReaderMultiDataSetIterator r) {
            return MetaDataSource.of(r);
        }
        return ExampleStore.materialise(source).multiDataSets(0);
    }

    /**
     * @param source a wrapped iterator
     * @return true if it is served in whole mini-batches only (pre-saved files)
     */
    public static boolean wholeBatchesOnly(DataSetIterator source) {
        return source instanceof ExistingMiniBatchDataSetIterator || source instanceof FileDataSetIterator;
    }

    /**
     * Opens a source at most once successfully: when the first read of an iterator that cannot reset fails midway,
     * reading it again would go on where it stopped and train on part of the data, so a second attempt is refused.
     *
     * @param open        opens the source (reads or lists the wrapped iterator)
     * @param resettable  whether the wrapped iterator can start again from its first batch
     * @param name        the wrapped iterator's type, for the message
     * @param <T>         the batch type
     * @return the guarded opener
     */
    public static <T> Supplier<ExampleSource<T>> once(Supplier<ExampleSource<T>> open, BooleanSupplier resettable,
                                                      String name) {
        return new Supplier<>() {
            private RuntimeException failed;

            @Override
            public ExampleSource<T> get() {
                if (failed != null && !resettable.getAsBoolean()) {
                    throw new IllegalStateException("reading the wrapped " + name + " failed before (" + failed.getMessage()
                            + ") and it cannot reset, so reading it again would go on where it stopped and train on part "
                            + "of its data: build a new source and a new wrapper", failed);
                }
                try {
                    ExampleSource<T> s = open.get();
                    failed = null;
                    return s;
                } catch (RuntimeException e) {
                    failed = e;
                    throw e;
                }
            }
        };
    }

    /**
     * DL4J's iterators throw from {@code batch()} (or their own batch-size getter) where they cannot tell.
     *
     * @param batch the iterator's batch-size call
     * @return its answer, or 0 ("the largest batch") where it throws or tells none
     */
    static int batchOrZero(IntSupplier batch) {
        try {
            return Math.max(0, batch.getAsInt());
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
