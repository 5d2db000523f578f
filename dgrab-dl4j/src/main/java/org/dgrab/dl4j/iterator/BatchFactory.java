package org.dgrab.dl4j.iterator;

import org.dgrab.dl4j.data.ExampleStore;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds a served batch of type {@code T} (DataSet or MultiDataSet) for an {@link OrderingSession} and tells which
 * of its arrays identify and label it.
 *
 * @param <T> the batch type
 */
interface BatchFactory<T> {
    /**
     * @param store    the examples
     * @param examples example indices, in batch order
     * @return the batch
     */
    T build(ExampleStore store, int[] examples);

    /** @return the batch's (first) features array, which the model holds as its input while training on it */
    INDArray key(T batch);

    /** @return the (first) labels array */
    INDArray labels(T batch);

    /** @return the (first) labels mask, or null */
    INDArray labelsMask(T batch);
}
