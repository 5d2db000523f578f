package org.dgrab.dl4j.iterator;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Prepares a served batch of type {@code T} (DataSet or MultiDataSet) for an {@link OrderingSession} and tells which
 * of its arrays identify and label it.
 *
 * @param <T> the batch type
 */
interface BatchFactory<T> {
    /**
     * Applies the drop-in iterator's own pre-processor, if it has one.
     *
     * @param loaded a batch as the source loaded it
     * @return the batch to serve
     */
    T prepare(T loaded);

    /** @return the batch's (first) features array, which the model holds as its input while training on it */
    INDArray key(T batch);

    /** @return the (first) labels array */
    INDArray labels(T batch);

    /** @return the (first) labels mask, or null */
    INDArray labelsMask(T batch);

    /** @return every array of the batch (features, labels and their masks; nulls possible) */
    INDArray[] arrays(T batch);
}
