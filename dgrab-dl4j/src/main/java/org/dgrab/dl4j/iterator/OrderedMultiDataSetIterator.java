package org.dgrab.dl4j.iterator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.internal.data.ExampleSources;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Drop-in {@link MultiDataSetIterator} for {@code ComputationGraph}s with several inputs or outputs, built and
 * behaving exactly like {@link OrderedDataSetIterator} ({@code graph.fit(ordered, epochs)} is all it takes). Per-example
 * units need a graph with a single dense output layer; multi-output graphs default to the wrapped iterator's
 * mini-batches as units.
 *
 * <p>Call order and failure behaviour: as {@link OrderedDataSetIterator}.
 */
public final class OrderedMultiDataSetIterator extends OrderedIteratorBase<MultiDataSet> implements MultiDataSetIterator {
    private static final long serialVersionUID = 2L;

    /** Builds served batches; pre-processing happens here, before the batch is registered by its features. */
    private final transient BatchFactory<MultiDataSet> batches = new BatchFactory<>() {
        @Override
        public MultiDataSet prepare(MultiDataSet m) {
            if (preProcessor != null) {
                preProcessor.preProcess(m);
            }
            return m;
        }

        @Override
        public INDArray key(MultiDataSet batch) {
            return batch.getFeatures(0);
        }

        @Override
        public INDArray labels(MultiDataSet batch) {
            return batch.getLabels(0);
        }

        @Override
        public INDArray labelsMask(MultiDataSet batch) {
            INDArray[] m = batch.getLabelsMaskArrays();
            return m == null ? null : m[0];
        }

        @Override
        public INDArray[] arrays(MultiDataSet batch) {
            return java.util.stream.Stream.of(batch.getFeatures(), batch.getLabels(), batch.getFeaturesMaskArrays(),
                    batch.getLabelsMaskArrays()).filter(java.util.Objects::nonNull).flatMap(java.util.Arrays::stream)
                    .toArray(INDArray[]::new);
        }
    };

    private transient MultiDataSetPreProcessor preProcessor;

    private OrderedMultiDataSetIterator(Builder b, IteratorSettings settings) {
        super(settings, () -> ExampleSources.of(b.source), b.source.getClass().getSimpleName(),
                b.source::resetSupported, b.source::getPreProcessor);
    }

    @Override
    BatchFactory<MultiDataSet> batches() {
        return batches;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** Builder of {@link OrderedMultiDataSetIterator}: {@link #setSource} is required, the rest as in the base. */
    public static final class Builder extends OrderedIteratorBuilder<Builder> {
        private MultiDataSetIterator source;

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
        public Builder setSource(MultiDataSetIterator source) {
            if (source == null) {
                throw new IllegalArgumentException("source iterator is null");
            }
            this.source = source;
            return this;
        }

        /** @return the iterator */
        public OrderedMultiDataSetIterator build() {
            if (source == null) {
                throw new IllegalArgumentException("a source iterator is required (setSource)");
            }
            return new OrderedMultiDataSetIterator(this, settings(false));
        }
    }
}
