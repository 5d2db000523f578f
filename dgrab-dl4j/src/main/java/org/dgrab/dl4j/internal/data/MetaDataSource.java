package org.dgrab.dl4j.internal.data;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataComposableMap;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.metadata.RecordMetaDataURI;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.datasets.datavec.RecordReaderMultiDataSetIterator;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Examples of a DataVec record-reader iterator, read on demand: one pass at the start records every example's
 * {@link RecordMetaData} (where it lives: a file, a line) and drops the data; every later load goes through the
 * iterator's own {@code loadFromMetaData}, so the record reader's transforms (an {@code ImageTransform}'s random
 * augmentation, a {@code TransformProcess}) and the iterator's pre-processor run again on every read, every epoch.
 * Memory: the metadata (one object per example naming its file or line), not the data.
 *
 * <p>Sequences of different lengths are padded per loaded batch by the iterator itself, with its alignment mode and
 * masks, as DL4J's sequence iterators do when they serve batches.
 *
 * <p>Call order: as {@link ExampleSource}; the wrapped iterator must not be used by anyone else while this source
 * loads from it.
 *
 * @param <T> DataSet or MultiDataSet
 */
final class MetaDataSource<T> implements ExampleSource<T> {
    private static final Logger log = LoggerFactory.getLogger(MetaDataSource.class);
    /** Lines per file beyond which DataVec's line readers make on-demand loading slow (they scan from the start). */
    static final int LINE_SCAN_WARNING = 20_000;

    private final MetaAccess<T> access;
    private final String name;
    private final int declaredBatch;
    /**
     * Per example its {@link RecordMetaData}, or, for a plain {@link RecordMetaDataURI} of {@link #uriReader}, only
     * its URI as a string (rebuilt when loading): one object per example instead of a URI with its parsed parts.
     */
    private final Object[] meta;
    private final Class<?> uriReader;
    private final BatchStarts sourceBatches;
    private final long[] featureShape;
    private final long[] labelShape;

    private MetaDataSource(MetaAccess<T> access, String name, int declaredBatch, List<RecordMetaData> meta,
                           List<Integer> starts, long[] featureShape, long[] labelShape) {
        this.access = access;
        this.name = name;
        Class<?> reader = null;
        this.meta = new Object[meta.size()];
        for (int i = 0; i < this.meta.length; i++) {
            RecordMetaData m = meta.get(i);
            if (m.getClass() == RecordMetaDataURI.class && m.getURI() != null
                    && (reader == null || reader == m.getReaderClass()) && m.getReaderClass() != null) {
                reader = m.getReaderClass();
                this.meta[i] = m.getURI().toString();
            } else {
                this.meta[i] = m;
            }
        }
        this.uriReader = reader;
        this.featureShape = featureShape;
        this.labelShape = labelShape;
        this.sourceBatches = new BatchStarts(starts.stream().mapToInt(Integer::intValue).toArray(), this.meta.length);
        this.declaredBatch = declaredBatch > 0 ? declaredBatch : sourceBatches.largest();
    }

    /**
     * Turns on metadata collection, resets the iterator and reads it once to record where every example lives.
     *
     * @param it a record-reader iterator over labelled data
     * @return the source
     * @throws IllegalArgumentException if the iterator cannot be reset, is empty, yields unlabelled batches or
     *                                  batches without metadata (the message names the batch)
     */
    public static MetaDataSource<DataSet> of(RecordReaderDataSetIterator it) {
        it.setCollectMetaData(true);
        return read(MetaAccess.dataSets(it, it::loadFromMetaData), it.getClass().getSimpleName(), it.resetSupported(), it::reset,
                ExampleSources.batchOrZero(it::batch));
    }

    /**
     * As {@link #of(RecordReaderDataSetIterator)}, for sequences (padded per batch by the iterator's alignment mode).
     *
     * @param it a sequence record-reader iterator over labelled data
     * @return the source
     */
    public static MetaDataSource<DataSet> of(SequenceRecordReaderDataSetIterator it) {
        it.setCollectMetaData(true);
        return read(MetaAccess.dataSets(it, it::loadFromMetaData), it.getClass().getSimpleName(), it.resetSupported(), it::reset,
                ExampleSources.batchOrZero(it::batch));
    }

    /**
     * As {@link #of(RecordReaderDataSetIterator)}, for several inputs or outputs (a {@code ComputationGraph}).
     *
     * @param it a multi-reader iterator over labelled data
     * @return the source
     */
    public static MetaDataSource<MultiDataSet> of(RecordReaderMultiDataSetIterator it) {
        it.setCollectMetaData(true);
        return read(MetaAccess.multiDataSets(it, it::loadFromMetaData), it.getClass().getSimpleName(), it.resetSupported(),
                it::reset, ExampleSources.batchOrZero(it::getBatchSize));
    }

    private static <T> MetaDataSource<T> read(MetaAccess<T> a, String name, boolean resettable, Runnable reset,
                                              int declaredBatch) {
        if (!resettable) {
            throw new IllegalArgumentException("dgrab reads a " + name + " once to record where each example lives and "
                    + "then loads examples by their RecordMetaData, so it must start from its first record, but this one "
                    + "cannot reset (its record reader's resetSupported() is false)");
        }
        reset.run();
        List<RecordMetaData> meta = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        long[] featureShape = null;
        long[] labelShape = null;
        try {
            while (true) {
                // Only metadata and shapes leave the workspace: the pass's decoded data is reused, not garbage.
                int before = meta.size();
                long[][] shapes = LoadWorkspace.scoped(() -> a.hasNext() ? record(a, name, starts.size(), meta) : null);
                if (shapes == null) {
                    break;
                }
                if (featureShape == null) {
                    featureShape = shapes[0];
                    labelShape = shapes[1];
                }
                starts.add(before);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            LoadWorkspace.release();
        }
        if (meta.isEmpty()) {
            throw new IllegalArgumentException("no data: the wrapped " + name + " produced no batches");
        }
        MetaDataSource<T> s = new MetaDataSource<>(a, name, declaredBatch, meta, starts, featureShape, labelShape);
        s.warnIfLinesScanned();
        log.info("dgrab: {} read on demand: {} examples in {} batches recorded by their RecordMetaData; every epoch "
                + "loads them again through {}.loadFromMetaData", name, meta.size(), starts.size(), name);
        return s;
    }

    /**
     * Reads the next batch of the metadata pass and records its examples' metadata.
     *
     * @param a    the iterator
     * @param name its type, for messages
     * @param b    the batch's index
     * @param meta where the metadata goes
     * @return the shapes of one example's features and labels
     * @throws IllegalArgumentException if the batch has no labels or no metadata (the message names the batch)
     */
    private static <T> long[][] record(MetaAccess<T> a, String name, int b, List<RecordMetaData> meta) {
        T batch = a.next();
        INDArray f = a.features(batch);
        INDArray l = a.labels(batch);
        if (f == null || l == null) {
            throw new IllegalArgumentException(name + " batch " + b + " has no " + (f == null ? "features" : "labels")
                    + "; dgrab needs labelled data (set the label index / number of classes of the iterator)");
        }
        List<Serializable> m = a.metaData(batch);
        if (m == null || m.size() != f.size(0)) {
            throw new IllegalArgumentException(name + " batch " + b + " carries " + (m == null ? "no" : m.size())
                    + " RecordMetaData entries for " + f.size(0) + " examples; its record reader must record metadata "
                    + "(DataVec's readers do once setCollectMetaData(true) is set, which dgrab does; a "
                    + "SequenceRecordReaderDataSetIterator read before it was wrapped, e.g. to fit a normalizer, keeps "
                    + "metadata off: call its setCollectMetaData(true) before its first read)");
        }
        for (Serializable s : m) {
            if (!(s instanceof RecordMetaData r)) {
                throw new IllegalArgumentException(name + " batch " + b + " carries metadata of type "
                        + (s == null ? "null" : s.getClass().getName()) + ", not RecordMetaData");
            }
            meta.add(r);
        }
        return new long[][] {Arrays.copyOfRange(f.shape(), 1, f.rank()), Arrays.copyOfRange(l.shape(), 1, l.rank())};
    }

    /**
     * DataVec's line readers ({@code CSVRecordReader} and the like) load a line by reading its file from the first
     * line on, so each batch of a long file reads most of it: correct, but slow enough to be mistaken for a hang.
     */
    private void warnIfLinesScanned() {
        Map<URI, Integer> lines = new HashMap<>();
        for (Object m : meta) {
            if (!(m instanceof RecordMetaData r)) {
                continue;    // a URI kept as its string: no line
            }
            for (RecordMetaData inner : inner(r)) {
                if (inner instanceof RecordMetaDataLine line && line.getURI() != null) {
                    lines.merge(line.getURI(), line.getLineNumber() + 1, Math::max);
                }
            }
        }
        lines.entrySet().stream().filter(e -> e.getValue() > LINE_SCAN_WARNING).findFirst().ifPresent(e -> log.warn(
                "dgrab: {} has {} lines; DataVec's line readers load a line on demand by reading the file from its start, "
                        + "so every batch dgrab loads reads up to {} lines. Split the data into files of a few thousand lines "
                        + "(a FileSplit over their folder) or let dgrab copy a plain iterator into memory.",
                e.getKey(), e.getValue(), e.getValue()));
    }

    private static List<RecordMetaData> inner(RecordMetaData m) {
        if (m instanceof RecordMetaDataComposableMap c) {
            return new ArrayList<>(c.getMeta().values());
        }
        return List.of(m);
    }

    private RecordMetaData meta(int e) {
        Object o = meta[e];
        return o instanceof String uri ? new RecordMetaDataURI(URI.create(uri), uriReader) : (RecordMetaData) o;
    }

    private int length(int b) {
        return sourceBatches.length(b);
    }

    @Override
    public int examples() {
        return meta.length;
    }

    @Override
    public int sourceBatches() {
        return sourceBatches.starts().length;
    }

    @Override
    public int sourceBatchSize(int batch) {
        return length(batch);
    }

    @Override
    public int batchSize() {
        return declaredBatch;
    }

    @Override
    public boolean unevenBatches() {
        return sourceBatches.uneven();
    }

    @Override
    public T loadExamples(int[] examples) throws IOException {
        List<RecordMetaData> m = new ArrayList<>(examples.length);
        for (int e : examples) {
            if (e < 0 || e >= meta.length) {
                throw new IllegalArgumentException("example index " + e + " outside [0, " + meta.length + ")");
            }
            m.add(meta(e));
        }
        return load(m);
    }

    @Override
    public T loadBatches(int[] batches) throws IOException {
        List<RecordMetaData> m = new ArrayList<>();
        for (int b : batches) {
            int from = sourceBatches.starts()[b];
            for (int i = from; i < from + length(b); i++) {
                m.add(meta(i));
            }
        }
        return load(m);
    }

    private T load(List<RecordMetaData> m) throws IOException {
        T batch;
        try {
            batch = LoadWorkspace.scoped(() -> access.load(m));
        } catch (IOException | RuntimeException e) {
            throw new IOException("dgrab could not load " + m.size() + " examples from " + name + " by their RecordMetaData "
                    + "(first: " + m.get(0).getLocation() + "): " + e, e);
        }
        INDArray f = access.features(batch);
        if (f == null || f.size(0) != m.size()) {
            throw new IOException(name + ".loadFromMetaData returned " + (f == null ? "no features" : f.size(0) + " examples")
                    + " for " + m.size() + " records (first: " + m.get(0).getLocation() + ")");
        }
        return batch;
    }

    @Override
    public long[] featureShape() {
        return featureShape.clone();
    }

    @Override
    public long[] labelShape() {
        return labelShape.clone();
    }

    @Override
    public boolean onDemand() {
        return true;
    }

    @Override
    public String describe() {
        return meta.length + " examples of a " + name + ", loaded on demand by their RecordMetaData";
    }

    @Override
    public void close() {
        // Nothing held but the metadata; the wrapped iterator belongs to the caller.
    }
}
