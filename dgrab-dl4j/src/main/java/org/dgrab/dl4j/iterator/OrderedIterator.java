package org.dgrab.dl4j.iterator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.dgrab.core.OrderingStrategy;

/**
 * What the two drop-in iterators ({@link OrderedDataSetIterator}, {@link OrderedMultiDataSetIterator}) have in
 * common beyond DL4J's iterator interfaces: their ordering, the listener that feeds it, and their state for
 * checkpoints ({@link OrderingCheckpoint} stores it inside a DL4J model zip).
 */
public interface OrderedIterator {

    /** @return the ordering strategy (reads the wrapped data on first call); read its orders, not its state */
    OrderingStrategy ordering();

    /** @return batches served per epoch (reads the wrapped data on first call) */
    int batchesPerEpoch();

    /**
     * The listener through which the trained model reports gradients. It is added to the model given to the
     * builder, and re-added if {@code setListeners} removed it; pass it to {@code ParallelWrapper.setListeners}
     * when the wrapper was built before this iterator.
     *
     * @return the listener
     */
    TrainingListener gradientListener();

    /**
     * What the ordering costs the training threads: the time they have spent in {@link #gradientListener()} since
     * this iterator was built (capturing output-layer inputs, forming unit gradients, balancing them or, with an
     * observer thread, copying them), summed over threads. Take differences between epochs for a per-epoch figure;
     * divided by the number of ParallelWrapper workers it is each worker's share. The observer thread's own work
     * is not in it.
     *
     * @return seconds, summed over the threads that trained
     */
    double listenerSeconds();

    /**
     * Writes the position in the current epoch and the ordering's state. At the end of an epoch (every batch
     * trained) it records the start of the next epoch, whose orders are already computed.
     *
     * @param out sink, not closed
     * @throws IOException on write failure
     */
    void saveState(OutputStream out) throws IOException;

    /**
     * Puts the iterator and its ordering back at a {@link #saveState saved} point: the next batch served is the
     * one the saved iterator would have served next. The iterator must wrap the same data with the same settings.
     * Nothing changes if it fails.
     *
     * @param in source, read to its end, not closed
     * @throws IOException if the state is damaged or from a differently configured iterator (the message says what)
     */
    void restoreState(InputStream in) throws IOException;
}
