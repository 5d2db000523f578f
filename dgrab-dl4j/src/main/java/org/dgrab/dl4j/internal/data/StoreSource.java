package org.dgrab.dl4j.internal.data;

import java.util.function.Function;

/**
 * {@link ExampleSource} view of an {@link ExampleStore}: loads are gathers from memory, and a source batch is the
 * range of examples it held.
 *
 * @param <T> DataSet or MultiDataSet
 */
final class StoreSource<T> implements ExampleSource<T> {
    private final ExampleStore store;
    private final Function<int[], T> gather;
    private final int batchSize;

    /**
     * @param store     the examples
     * @param gather    gathers examples into a batch ({@link ExampleStore#batch} or {@link ExampleStore#multiBatch})
     * @param batchSize the wrapped iterator's batch size, or 0 for its largest batch
     */
    StoreSource(ExampleStore store, Function<int[], T> gather, int batchSize) {
        this.store = store;
        this.gather = gather;
        this.batchSize = batchSize > 0 ? batchSize : store.largestSourceBatch();
    }

    @Override
    public int examples() {
        return store.size();
    }

    @Override
    public int sourceBatches() {
        return store.sourceBatches();
    }

    @Override
    public int sourceBatchSize(int batch) {
        return store.sourceBatch(batch).length;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public boolean unevenBatches() {
        return store.unevenSourceBatches();
    }

    @Override
    public T loadExamples(int[] examples) {
        return gather.apply(examples);
    }

    @Override
    public T loadBatches(int[] batches) {
        int n = 0;
        for (int b : batches) {
            n += sourceBatchSize(b);
        }
        int[] idx = new int[n];
        int k = 0;
        for (int b : batches) {
            int[] e = store.sourceBatch(b);
            System.arraycopy(e, 0, idx, k, e.length);
            k += e.length;
        }
        return gather.apply(idx);
    }

    @Override
    public long[] featureShape() {
        return store.exampleShape(0, false);
    }

    @Override
    public long[] labelShape() {
        return store.exampleShape(0, true);
    }

    @Override
    public boolean onDemand() {
        return false;
    }

    @Override
    public String describe() {
        return store.size() + " examples in memory (" + store.bytes() / (1 << 20) + " MB)";
    }

    @Override
    public void close() {
        // The store is immutable and may be shared (DataParallelTrainer); its arrays are freed with it.
    }
}
