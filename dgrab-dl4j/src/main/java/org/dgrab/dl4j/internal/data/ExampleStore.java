package org.dgrab.dl4j.internal.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random access to the examples of a data set, held compactly in memory: per input one {@code [N, F]} matrix of
 * flattened features, per output one {@code [N, L]} matrix of flattened labels, and optional {@code [N, T]} mask
 * matrices, in the data type the source produced. A batch of any examples is one native gather per array.
 *
 * <p>Built from {@code DataSet}s (one input, one output: {@link #batch} serves {@code DataSet}s) or from
 * {@code MultiDataSet}s (any number of inputs and outputs, for a {@code ComputationGraph}: {@link #multiBatch}).
 *
 * <p>Memory: {@code N * (F + L [+ 2T]) * bytes per element} summed over inputs and outputs, in chunks of ND4J
 * memory ({@link ExampleColumn}) filled batch by batch while the source is read, so a source batch is dropped as soon
 * as it is copied and the copy never needs the data twice; reading stops with a dgrab error, before training, when
 * ND4J's off-heap limit would be exceeded. Fashion-MNIST's 60,000 training images in FLOAT take
 * {@code 60000 * (784 + 10) * 4} bytes, about 190 MB. Immutable after construction and safe to read from several
 * threads.
 */
public final class ExampleStore {
    private final ExampleColumn[] features;
    private final long[][] featureShapes;
    private final ExampleColumn[] labels;
    private final long[][] labelShapes;
    /** Per input; an entry is null when that input has no mask. */
    private final ExampleColumn[] featureMasks;
    /** Per output; an entry is null when that output has no mask. */
    private final ExampleColumn[] labelMasks;
    private final boolean fromMultiDataSets;
    /** Sequences of different lengths are padded at their start (true) or end (false), as the source padded them. */
    private final boolean alignEnd;
    private final int size;
    private final BatchStarts sourceBatches;

    /** From the collected columns ({@link ExampleColumns#build}): arrays per kind (features, labels, masks). */
    ExampleStore(ExampleColumns c, boolean fromMultiDataSets, int[] sourceBatchStarts) {
        this.features = c.arrays[0];
        this.featureShapes = c.shapes[0];
        this.labels = c.arrays[1];
        this.labelShapes = c.shapes[1];
        this.featureMasks = c.arrays[2];
        this.labelMasks = c.arrays[3];
        this.fromMultiDataSets = fromMultiDataSets;
        this.alignEnd = c.alignEnd();
        this.size = c.total;
        this.sourceBatches = new BatchStarts(sourceBatchStarts, size);
    }

    /**
     * Reads every batch of an iterator (resetting it first when it supports that) into a store.
     *
     * @param source the iterator; it is left exhausted
     * @return the store
     * @throws IllegalArgumentException if the iterator is empty, cannot be reset after use, or yields batches with
     *                                  missing labels, mismatched feature/label counts or inconsistent shapes (the
     *                                  message names the batch)
     */
    public static ExampleStore materialise(DataSetIterator source) {
        if (source == null) {
            throw new IllegalArgumentException("source iterator is null");
        }
        String name = source.getClass().getSimpleName();
        return StoreReader.read(source, source.resetSupported(), source::reset, d -> new ExampleColumns(1, 1, false, name),
                (c, b, d) -> c.add(b, new INDArray[] {d.getFeatures()}, new INDArray[] {d.getLabels()},
                        new INDArray[] {d.getFeaturesMaskArray()}, new INDArray[] {d.getLabelsMaskArray()}), false);
    }

    /**
     * Reads every batch of a multi-input/multi-output iterator (resetting it first when it supports that).
     *
     * @param source the iterator; it is left exhausted
     * @return the store
     * @throws IllegalArgumentException as {@link #materialise(DataSetIterator)}, naming batch and input or output
     */
    public static ExampleStore materialise(MultiDataSetIterator source) {
        if (source == null) {
            throw new IllegalArgumentException("source iterator is null");
        }
        String name = source.getClass().getSimpleName();
        return StoreReader.read(source, source.resetSupported(), source::reset, d -> StoreReader.multiColumns(d, name),
                (c, b, d) -> c.add(b, d.getFeatures(), d.getLabels(), d.getFeaturesMaskArrays(), d.getLabelsMaskArrays()),
                true);
    }

    /**
     * Builds a store from batches.
     *
     * @param batches the batches, in order; each needs features and labels
     * @return the store
     */
    public static ExampleStore of(List<? extends org.nd4j.linalg.dataset.api.DataSet> batches) {
        if (batches == null || batches.isEmpty()) {
            throw new IllegalArgumentException("no data: the source produced no batches");
        }
        ExampleColumns c = new ExampleColumns(1, 1, false, "list of batches");
        for (int b = 0; b < batches.size(); b++) {
            org.nd4j.linalg.dataset.api.DataSet d = batches.get(b);
            c.add(b, new INDArray[] {d.getFeatures()}, new INDArray[] {d.getLabels()},
                    new INDArray[] {d.getFeaturesMaskArray()}, new INDArray[] {d.getLabelsMaskArray()});
        }
        return c.build(false);
    }

    /**
     * Builds a store from multi-input/multi-output batches (for a {@code ComputationGraph}).
     *
     * @param batches the batches, in order; each needs the same numbers of feature and label arrays
     * @return the store
     */
    public static ExampleStore ofMulti(List<? extends org.nd4j.linalg.dataset.api.MultiDataSet> batches) {
        if (batches == null || batches.isEmpty()) {
            throw new IllegalArgumentException("no data: the source produced no batches");
        }
        ExampleColumns c = StoreReader.multiColumns(batches.get(0), "list of batches");
        for (int b = 0; b < batches.size(); b++) {
            org.nd4j.linalg.dataset.api.MultiDataSet d = batches.get(b);
            c.add(b, d.getFeatures(), d.getLabels(), d.getFeaturesMaskArrays(), d.getLabelsMaskArrays());
        }
        return c.build(true);
    }

    /** @return number of examples N */
    public int size() {
        return size;
    }

    /** @return number of feature arrays (inputs) per example: 1 for stores built from {@code DataSet}s */
    public int inputs() {
        return features.length;
    }

    /** @return number of label arrays (outputs) per example: 1 for stores built from {@code DataSet}s */
    public int outputs() {
        return labels.length;
    }

    /** @return true if built from {@code MultiDataSet}s (then a model gets {@link #multiBatch}es) */
    public boolean isMulti() {
        return fromMultiDataSets;
    }

    /** @return number of batches the source produced */
    public int sourceBatches() {
        return sourceBatches.starts().length;
    }

    /**
     * Examples of one source batch.
     *
     * @param batch batch index in {@code [0, sourceBatches())}
     * @return the example indices of that batch, in order
     */
    public int[] sourceBatch(int batch) {
        if (batch < 0 || batch >= sourceBatches()) {
            throw new IllegalArgumentException("source batch " + batch + " outside [0, " + sourceBatches() + ")");
        }
        int from = sourceBatches.starts()[batch];
        int[] idx = new int[sourceBatches.length(batch)];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return idx;
    }

    /** @return examples in the largest source batch */
    public int largestSourceBatch() {
        return sourceBatches.largest();
    }

    /** @return true if source batches differ in size, other than a shorter last one */
    public boolean unevenSourceBatches() {
        return sourceBatches.uneven();
    }

    /**
     * @param column input (or output) index
     * @param labels true for an output's labels, false for an input's features
     * @return shape of one example of that array, without the batch dimension
     */
    public long[] exampleShape(int column, boolean labels) {
        return (labels ? labelShapes : featureShapes)[column].clone();
    }

    /**
     * @param batchSize the wrapped iterator's batch size, or 0 for the largest source batch
     * @return this store as the source of a {@code DataSet} iterator
     */
    public ExampleSource<DataSet> dataSets(int batchSize) {
        requireSingle("a DataSet source");
        return new StoreSource<>(this, this::batch, batchSize);
    }

    /**
     * @param batchSize the wrapped iterator's batch size, or 0 for the largest source batch
     * @return this store as the source of a {@code MultiDataSet} iterator
     */
    public ExampleSource<org.nd4j.linalg.dataset.api.MultiDataSet> multiDataSets(int batchSize) {
        return new StoreSource<org.nd4j.linalg.dataset.api.MultiDataSet>(this, this::multiBatch, batchSize);
    }

    /** @return bytes held by the arrays */
    public long bytes() {
        long b = 0;
        for (ExampleColumn[] column : new ExampleColumn[][] {features, labels, featureMasks, labelMasks}) {
            for (ExampleColumn a : column) {
                if (a != null) {
                    b += a.bytes();
                }
            }
        }
        return b;
    }

    private void requireSingle(String what) {
        if (features.length != 1 || labels.length != 1) {
            throw new IllegalStateException(what + " needs one input and one output; this store has " + features.length
                    + " inputs and " + labels.length + " outputs (use multiBatch)");
        }
    }

    /** @return features per example (product of the example shape) of the only input */
    public long featureSize() {
        requireSingle("featureSize()");
        return features[0].rowLength();
    }

    /** @return label values per example (number of classes for one-hot labels) of the only output */
    public long labelSize() {
        requireSingle("labelSize()");
        return labels[0].rowLength();
    }

    /** @return shape of one example's features (the only input) */
    public long[] featureShape() {
        requireSingle("featureShape()");
        return featureShapes[0].clone();
    }

    /** @return shape of one example's labels (the only output) */
    public long[] labelShape() {
        requireSingle("labelShape()");
        return labelShapes[0].clone();
    }

    /** @return true if examples carry feature or label masks (time series) */
    public boolean hasMasks() {
        for (ExampleColumn[] column : new ExampleColumn[][] {featureMasks, labelMasks}) {
            for (ExampleColumn a : column) {
                if (a != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private void checkIndices(int[] indices) {
        if (indices == null || indices.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        for (int i : indices) {
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException("example index " + i + " outside [0, " + size + ")");
            }
        }
    }

    /**
     * Gathers examples into a new batch, restoring the original example shapes.
     *
     * @param indices example indices, in batch order
     * @return a new DataSet (features, labels, masks)
     * @throws IllegalStateException if the store has several inputs or outputs
     */
    public DataSet batch(int[] indices) {
        requireSingle("a DataSet batch");
        checkIndices(indices);
        INDArray[] f = gather(features[0], featureMasks[0], indices);
        INDArray[] l = gather(labels[0], labelMasks[0], indices);
        return new DataSet(f[0], l[0], f[1], l[1]);
    }

    /**
     * Gathers examples into a new multi-input/multi-output batch, restoring the original example shapes.
     *
     * @param indices example indices, in batch order
     * @return a new MultiDataSet (every input, output and mask)
     */
    public MultiDataSet multiBatch(int[] indices) {
        checkIndices(indices);
        INDArray[] f = new INDArray[features.length];
        INDArray[] fm = new INDArray[features.length];
        for (int i = 0; i < f.length; i++) {
            INDArray[] g = gather(features[i], featureMasks[i], indices);
            f[i] = g[0];
            fm[i] = g[1];
        }
        INDArray[] l = new INDArray[labels.length];
        INDArray[] lm = new INDArray[labels.length];
        for (int i = 0; i < l.length; i++) {
            INDArray[] g = gather(labels[i], labelMasks[i], indices);
            l[i] = g[0];
            lm[i] = g[1];
        }
        return new MultiDataSet(f, l, anyNonNull(fm) ? fm : null, anyNonNull(lm) ? lm : null);
    }

    private static boolean anyNonNull(INDArray[] a) {
        for (INDArray x : a) {
            if (x != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the examples' array and its mask (or null): gathered as stored when they share one length, else padded
     *         to the longest with a mask that covers each example's own steps
     */
    private INDArray[] gather(ExampleColumn data, ExampleColumn mask, int[] idx) {
        if (data.uniform(idx) && (mask == null || mask.uniform(idx))) {
            return new INDArray[] {data.gather(idx), mask == null ? null : mask.gather(idx)};
        }
        long steps = data.longest(idx);
        long[] own = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            own[i] = data.length(idx[i]);
        }
        INDArray padded = data.gatherPadded(idx, steps, alignEnd, null);
        ExampleColumn m = mask != null ? mask : ExampleColumn.absentMasks(data.type(), size);
        return new INDArray[] {padded, m.gatherPadded(idx, steps, alignEnd, own)};
    }

    private int[] all() {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /**
     * Every example's label as a class index (argmax of a one-hot row) of the only (or first) output, for accuracy
     * and stratified checks.
     *
     * @return class index per example
     */
    public int[] classIndices() {
        INDArray am = gather(labels[0], null, all())[0].argMax(1);
        return am.toIntVector();
    }
}
