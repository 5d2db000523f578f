package org.dgrab.dl4j.internal.data;

import java.io.IOException;

/**
 * Where an ordered iterator reads its units from: the examples (or only the whole mini-batches) of the iterator it
 * wraps, loaded by index in whatever order the ordering chooses. The ordering itself only needs the number of units;
 * the data stays where the source keeps it. Three kinds exist, chosen by the drop-in iterators from the type of the
 * wrapped iterator ({@link ExampleSources}):
 * <ul>
 *   <li>{@link ExampleStore}: a copy in memory, for any iterator (read once);</li>
 *   <li>{@link MetaDataSource}: DataVec record-reader iterators, read again through their own
 *       {@code loadFromMetaData} at every load, so the reader's transforms and the iterator's pre-processor run on
 *       every read;</li>
 *   <li>{@link FileBatchSource}: pre-saved mini-batch files, one file loaded per unit (whole batches only).</li>
 * </ul>
 *
 * <p>Call order: the counts and shapes any time after construction; {@code load*} from one thread at a time (an
 * iterator loads on its prefetch thread when {@link #onDemand()}); {@link #close()} once at the end.
 *
 * @param <T> the batch type, DataSet or MultiDataSet
 */
public interface ExampleSource<T> extends AutoCloseable {

    /** @return number of examples, or -1 if this source can serve only whole source batches */
    int examples();

    /** @return number of mini-batches the wrapped iterator produces per pass */
    int sourceBatches();

    /**
     * @param batch source batch index in {@code [0, sourceBatches())}
     * @return its number of examples (a file source may read the file to tell)
     * @throws IOException if the batch has to be read and cannot be
     */
    int sourceBatchSize(int batch) throws IOException;

    /**
     * The batch size the user gave the wrapped iterator: its {@code batch()} where it tells one, else the largest
     * source batch. Example units are served in batches of this size, never silently the first batch's.
     *
     * @return examples per full batch of the wrapped iterator
     */
    int batchSize();

    /** @return true if the sizes of the source's batches differ (other than a shorter last one) */
    boolean unevenBatches();

    /**
     * Loads examples into one batch, in the given order.
     *
     * @param examples example indices in {@code [0, examples())}
     * @return a new batch
     * @throws IOException                   if the source cannot be read (the message names what)
     * @throws UnsupportedOperationException if {@link #examples()} is -1
     */
    T loadExamples(int[] examples) throws IOException;

    /**
     * Loads whole source batches into one batch, in the given order.
     *
     * @param batches source batch indices
     * @return a new batch (the source batch itself, as the wrapped iterator served it, when there is one)
     * @throws IOException if the source cannot be read (the message names what)
     */
    T loadBatches(int[] batches) throws IOException;

    /** @return shape of one example's features (first input, no batch dimension; for sequences the first batch's) */
    long[] featureShape();

    /** @return shape of one example's labels (first output, no batch dimension) */
    long[] labelShape();

    /**
     * @return true if every load reads the wrapped source again (worth prefetching; the source's own per-read work,
     *         such as its pre-processor, runs on every load), false for data copied into memory
     */
    boolean onDemand();

    /** @return a short description for log lines and messages, e.g. "40 mini-batch files in /data/train" */
    String describe();

    /** Releases what the source holds; loads fail afterwards. */
    @Override
    void close();
}
