package org.dgrab.dl4j.internal.data;

import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.datavec.api.records.metadata.RecordMetaData;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * The three record-reader iterator types seen alike by {@link MetaDataSource}: iterate the batches of the metadata
 * pass, read a batch's first features and labels and its examples' metadata, and load examples again by their
 * metadata (the loaded batch detached from any workspace). Holds no state of its own; the iterator's state is the
 * caller's, as in {@link MetaDataSource}.
 *
 * @param <T> DataSet or MultiDataSet
 */
final class MetaAccess<T> {

    /** A {@code loadFromMetaData} method. */
    interface MetaLoader<T> {
        T load(List<RecordMetaData> meta) throws IOException;
    }

    private final Iterator<T> it;
    private final Function<T, INDArray> features;
    private final Function<T, INDArray> labels;
    private final Function<T, List<Serializable>> metaData;
    private final MetaLoader<T> loader;
    private final Consumer<T> detach;

    private MetaAccess(Iterator<T> it, Function<T, INDArray> features, Function<T, INDArray> labels,
                       Function<T, List<Serializable>> metaData, MetaLoader<T> loader, Consumer<T> detach) {
        this.it = it;
        this.features = features;
        this.labels = labels;
        this.metaData = metaData;
        this.loader = loader;
        this.detach = detach;
    }

    /**
     * @param it     a DataSet record-reader iterator (plain or sequence)
     * @param loader its {@code loadFromMetaData}
     * @return the access
     */
    static MetaAccess<DataSet> dataSets(DataSetIterator it, MetaLoader<DataSet> loader) {
        return new MetaAccess<>(it, DataSet::getFeatures, DataSet::getLabels, DataSet::getExampleMetaData, loader,
                DataSet::detach);
    }

    /**
     * @param it     a multi-reader iterator
     * @param loader its {@code loadFromMetaData}
     * @return the access, whose features and labels are the first arrays (null if there are none)
     */
    static MetaAccess<MultiDataSet> multiDataSets(MultiDataSetIterator it, MetaLoader<MultiDataSet> loader) {
        return new MetaAccess<>(it,
                b -> b.getFeatures() == null || b.getFeatures().length == 0 ? null : b.getFeatures(0),
                b -> b.getLabels() == null || b.getLabels().length == 0 ? null : b.getLabels(0),
                MultiDataSet::getExampleMetaData, loader, MultiDataSet::detach);
    }

    boolean hasNext() {
        return it.hasNext();
    }

    T next() {
        return it.next();
    }

    INDArray features(T batch) {
        return features.apply(batch);
    }

    INDArray labels(T batch) {
        return labels.apply(batch);
    }

    List<Serializable> metaData(T batch) {
        return metaData.apply(batch);
    }

    /**
     * @param meta the examples' metadata, in order
     * @return the examples, loaded through the iterator and detached
     * @throws IOException if the iterator cannot load them
     */
    T load(List<RecordMetaData> meta) throws IOException {
        T d = loader.load(meta);
        detach.accept(d);
        return d;
    }
}
