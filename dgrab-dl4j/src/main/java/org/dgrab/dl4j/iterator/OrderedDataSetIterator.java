package org.dgrab.dl4j.iterator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.internal.data.ExampleSources;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Drop-in {@link DataSetIterator} that serves the examples of any wrapped iterator in the order an
 * {@link OrderingStrategy} chooses (CD-GraB by default), and moves to the next order when an epoch has been
 * trained. {@code net.fit(ordered, epochs)}, {@code ParallelWrapper.fit(ordered)} (with
 * {@link Builder#optParallelWrapper}), {@code EarlyStoppingTrainer} and {@code AsyncDataSetIterator} work as with
 * any iterator: a listener added to the model hands each trained batch's gradients to the ordering after the
 * backward pass, before the updater.
 *
 * <p>Where the examples come from depends on the wrapped iterator ({@link org.dgrab.dl4j.internal.data.ExampleSources}): a
 * DataVec {@code RecordReaderDataSetIterator} or {@code SequenceRecordReaderDataSetIterator} is read on demand by
 * each example's {@code RecordMetaData}, so the reader's transforms (random augmentation included) and the
 * iterator's pre-processor run on every read, every epoch; pre-saved mini-batch files
 * ({@code ExistingMiniBatchDataSetIterator}, {@code FileDataSetIterator}) are ordered as whole files and each loaded
 * when served; any other iterator is copied into memory once, on first use (its pre-processor has run by then). On
 * demand, batches are loaded ahead on a thread of the iterator's own. A pre-processor set here runs on every served
 * batch. Units are single examples by default (so examples move between mini-batches), or the wrapped iterator's
 * mini-batches ({@link org.dgrab.dl4j.Granularity#BATCH}); see {@link OrderedIteratorBuilder}. A batch served to
 * DL4J's own loop ({@code fit}, ParallelWrapper, early stopping) is freed a few batches after its gradient was
 * observed, as {@code AsyncDataSetIterator}'s workspace reuses its batches; one taken with {@code next()} in a
 * loop of your own stays yours.
 *
 * <p>Call order: build, then DL4J's loop ({@code hasNext}/{@code next}, {@code reset} between epochs). A pass
 * without training ({@code net.evaluate(ordered)}) leaves the ordering alone; a reset after training on part of an
 * epoch is an error, since the ordering needs every gradient of the epoch; training that bypasses the listener
 * (another model, listeners replaced inside the loop) is refused at the next batch. Without a model (D-RR and the
 * other orderings that ignore gradients) every complete pass counts as an epoch. Checkpoints:
 * {@link OrderingCheckpoint}. {@link #asyncSupported()} is false: DL4J must not wrap it in another prefetching
 * iterator, as it prefetches by itself where loading is slow.
 */
public final class OrderedDataSetIterator extends OrderedIteratorBase<DataSet> implements DataSetIterator {
    private static final long serialVersionUID = 2L;

    /** Builds served batches; pre-processing happens here, before the batch is registered by its features. */
    private final transient BatchFactory<DataSet> batches = new BatchFactory<>() {
        @Override
        public DataSet prepare(DataSet d) {
            if (preProcessor != null) {
                preProcessor.preProcess(d);
            }
            return d;
        }

        @Override
        public INDArray key(DataSet batch) {
            return batch.getFeatures();
        }

        @Override
        public INDArray labels(DataSet batch) {
            return batch.getLabels();
        }

        @Override
        public INDArray labelsMask(DataSet batch) {
            return batch.getLabelsMaskArray();
        }

        @Override
        public INDArray[] arrays(DataSet batch) {
            return new INDArray[] {batch.getFeatures(), batch.getLabels(), batch.getFeaturesMaskArray(),
                    batch.getLabelsMaskArray()};
        }
    };

    private final transient DataSetIterator source;
    private transient DataSetPreProcessor preProcessor;

    private OrderedDataSetIterator(Builder b, IteratorSettings settings) {
        super(settings, () -> ExampleSources.of(b.source), b.source.getClass().getSimpleName(),
                b.source::resetSupported, b.source::getPreProcessor);
        this.source = b.source;
    }

    @Override
    BatchFactory<DataSet> batches() {
        return batches;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Size of dimension 1 of the features, as {@code DataSet.numInputs()}: the number of features for flat data,
     * features per time step for sequences {@code [B, F, T]}.
     */
    @Override
    public int inputColumns() {
        long[] shape = session().source().featureShape();
        return (int) (shape.length == 0 ? 1 : shape[0]);
    }

    /**
     * Size of dimension 1 of the labels, as {@code DataSet.numOutcomes()}: the number of classes (or outputs),
     * also for sequence labels {@code [B, C, T]}.
     */
    @Override
    public int totalOutcomes() {
        long[] shape = session().source().labelShape();
        return (int) (shape.length == 0 ? 1 : shape[0]);
    }

    /**
     * Examples per full served batch: per worker's batch with ParallelWrapper, all workers' together otherwise (the
     * last batches of an epoch may be smaller). Reads the data on first call.
     */
    @Override
    public int batch() {
        return session().batchSize();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }

    /** Builder of {@link OrderedDataSetIterator}: {@link #setSource} is required, the rest as in the base. */
    public static final class Builder extends OrderedIteratorBuilder<Builder> {
        private DataSetIterator source;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The iterator to wrap (required); read once, on first use.
         *
         * @param source iterator with features and labels
         * @return this
         */
        public Builder setSource(DataSetIterator source) {
            if (source == null) {
                throw new IllegalArgumentException("source iterator is null");
            }
            this.source = source;
            return this;
        }

        /** @return the iterator */
        public OrderedDataSetIterator build() {
            if (source == null) {
                throw new IllegalArgumentException("a source iterator is required (setSource)");
            }
            return new OrderedDataSetIterator(this, settings(ExampleSources.wholeBatchesOnly(source)));
        }
    }
}
