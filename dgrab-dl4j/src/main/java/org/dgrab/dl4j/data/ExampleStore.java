package org.dgrab.dl4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random access to the examples of a data set, held compactly in memory: one {@code [N, F]} matrix of flattened
 * features, one {@code [N, L]} matrix of flattened labels, and optional {@code [N, T]} mask matrices, in the data
 * type the source produced. A batch of any examples is one native gather per array.
 *
 * <p>Memory: {@code N * (F + L [+ 2T]) * bytes per element}, plus the same again transiently while materialising
 * (the per-batch arrays and the concatenation coexist). Fashion-MNIST's 60,000 training images in FLOAT take
 * {@code 60000 * (784 + 10) * 4} bytes, about 190 MB. Immutable after construction and safe to read from several
 * threads.
 */
public final class ExampleStore {
    private static final Logger log = LoggerFactory.getLogger(ExampleStore.class);

    private final INDArray features;
    private final long[] featureShape;
    private final INDArray labels;
    private final long[] labelShape;
    private final INDArray featuresMask;
    private final INDArray labelsMask;
    private final int size;
    private final int[] sourceBatchStarts;

    private ExampleStore(INDArray features, long[] featureShape, INDArray labels, long[] labelShape, INDArray featuresMask,
                         INDArray labelsMask, int[] sourceBatchStarts) {
        this.features = features;
        this.featureShape = featureShape;
        this.labels = labels;
        this.labelShape = labelShape;
        this.featuresMask = featuresMask;
        this.labelsMask = labelsMask;
        this.size = (int) features.size(0);
        this.sourceBatchStarts = sourceBatchStarts;
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
        if (source.resetSupported()) {
            source.reset();
        } else if (!source.hasNext()) {
            throw new IllegalArgumentException("the wrapped iterator is exhausted and cannot reset ("
                    + source.getClass().getSimpleName() + ".resetSupported() is false)");
        }
        List<org.nd4j.linalg.dataset.api.DataSet> batches = new ArrayList<>();
        while (source.hasNext()) {
            batches.add(source.next());
        }
        return of(batches);
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
        long[] fShape = null;
        long[] lShape = null;
        Boolean fMask = null;
        Boolean lMask = null;
        List<INDArray> fs = new ArrayList<>();
        List<INDArray> ls = new ArrayList<>();
        List<INDArray> fms = new ArrayList<>();
        List<INDArray> lms = new ArrayList<>();
        int[] starts = new int[batches.size()];
        int total = 0;
        for (int b = 0; b < batches.size(); b++) {
            org.nd4j.linalg.dataset.api.DataSet d = batches.get(b);
            INDArray f = d.getFeatures();
            INDArray l = d.getLabels();
            if (f == null || l == null) {
                throw new IllegalArgumentException("batch " + b + " has no " + (f == null ? "features" : "labels")
                        + "; dgrab needs labelled data");
            }
            long n = f.size(0);
            if (l.size(0) != n) {
                throw new IllegalArgumentException("batch " + b + " has " + n + " feature rows but " + l.size(0) + " label rows");
            }
            if (n == 0) {
                throw new IllegalArgumentException("batch " + b + " is empty");
            }
            long[] fs1 = Arrays.copyOfRange(f.shape(), 1, f.rank());
            long[] ls1 = Arrays.copyOfRange(l.shape(), 1, l.rank());
            if (fShape == null) {
                fShape = fs1;
                lShape = ls1;
                fMask = d.getFeaturesMaskArray() != null;
                lMask = d.getLabelsMaskArray() != null;
            } else {
                if (!Arrays.equals(fShape, fs1) || !Arrays.equals(lShape, ls1)) {
                    throw new IllegalArgumentException("batch " + b + " has example shape features " + Arrays.toString(fs1)
                            + ", labels " + Arrays.toString(ls1) + "; batch 0 had " + Arrays.toString(fShape) + ", "
                            + Arrays.toString(lShape));
                }
                if (fMask != (d.getFeaturesMaskArray() != null) || lMask != (d.getLabelsMaskArray() != null)) {
                    throw new IllegalArgumentException("batch " + b + " has different mask arrays than batch 0");
                }
            }
            starts[b] = total;
            total = Math.addExact(total, (int) n);
            fs.add(f.reshape('c', n, f.length() / n));
            ls.add(l.reshape('c', n, l.length() / n));
            if (fMask) {
                fms.add(d.getFeaturesMaskArray().reshape('c', n, d.getFeaturesMaskArray().length() / n));
            }
            if (lMask) {
                lms.add(d.getLabelsMaskArray().reshape('c', n, d.getLabelsMaskArray().length() / n));
            }
        }
        ExampleStore s = new ExampleStore(concat(fs), fShape, concat(ls), lShape, fMask ? concat(fms) : null,
                lMask ? concat(lms) : null, starts);
        log.info("materialised {} examples in {} batches ({} MB)", s.size(), batches.size(), s.bytes() / (1 << 20));
        return s;
    }

    private static INDArray concat(List<INDArray> parts) {
        INDArray out = parts.size() == 1 ? parts.get(0).dup('c') : Nd4j.concat(0, parts.toArray(new INDArray[0]));
        return out.ordering() == 'c' ? out : out.dup('c');
    }

    /** @return number of examples N */
    public int size() {
        return size;
    }

    /** @return number of batches the source produced */
    public int sourceBatches() {
        return sourceBatchStarts.length;
    }

    /**
     * Examples of one source batch.
     *
     * @param batch batch index in {@code [0, sourceBatches())}
     * @return the example indices of that batch, in order
     */
    public int[] sourceBatch(int batch) {
        if (batch < 0 || batch >= sourceBatchStarts.length) {
            throw new IllegalArgumentException("source batch " + batch + " outside [0, " + sourceBatchStarts.length + ")");
        }
        int from = sourceBatchStarts[batch];
        int to = batch + 1 < sourceBatchStarts.length ? sourceBatchStarts[batch + 1] : size;
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return idx;
    }

    /** @return bytes held by the arrays */
    public long bytes() {
        long b = features.length() * features.dataType().width() + labels.length() * labels.dataType().width();
        if (featuresMask != null) {
            b += featuresMask.length() * featuresMask.dataType().width();
        }
        if (labelsMask != null) {
            b += labelsMask.length() * labelsMask.dataType().width();
        }
        return b;
    }

    /** @return features per example (product of the example shape) */
    public long featureSize() {
        return features.size(1);
    }

    /** @return label values per example (number of classes for one-hot labels) */
    public long labelSize() {
        return labels.size(1);
    }

    /** @return shape of one example's features */
    public long[] featureShape() {
        return featureShape.clone();
    }

    /** @return shape of one example's labels */
    public long[] labelShape() {
        return labelShape.clone();
    }

    /** @return true if examples carry feature or label masks (time series) */
    public boolean hasMasks() {
        return featuresMask != null || labelsMask != null;
    }

    /**
     * Gathers examples into a new batch, restoring the original example shapes.
     *
     * @param indices example indices, in batch order
     * @return a new DataSet (features, labels, masks)
     */
    public DataSet batch(int[] indices) {
        if (indices == null || indices.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        for (int i : indices) {
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException("example index " + i + " outside [0, " + size + ")");
            }
        }
        INDArray f = gather(features, indices, featureShape);
        INDArray l = gather(labels, indices, labelShape);
        INDArray fm = featuresMask == null ? null : Nd4j.pullRows(featuresMask, 1, indices);
        INDArray lm = labelsMask == null ? null : Nd4j.pullRows(labelsMask, 1, indices);
        return new DataSet(f, l, fm, lm);
    }

    private static INDArray gather(INDArray m, int[] idx, long[] exampleShape) {
        INDArray rows = Nd4j.pullRows(m, 1, idx);
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = idx.length;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return shape.length == 2 ? rows : rows.reshape('c', shape);
    }

    /**
     * Every example's label as a class index (argmax of a one-hot row), for accuracy and stratified checks.
     *
     * @return class index per example
     */
    public int[] classIndices() {
        INDArray am = labels.argMax(1);
        return am.toIntVector();
    }
}
