package org.dgrab.dl4j.internal.data;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import org.deeplearning4j.datasets.iterator.file.BaseFileIterator;
import org.deeplearning4j.datasets.iterator.file.FileDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ExistingMiniBatchDataSetIterator;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * Pre-saved mini-batch files ({@code DataSet.save}: what {@code ExistingMiniBatchDataSetIterator},
 * {@code FileDataSetIterator} and Spark's {@code BatchAndExportDataSetsFunction} read), ordered as whole files: a
 * unit is one file, loaded when it is served. Memory: the batches in the iterator's prefetch window, never the data.
 * A file that is missing or cannot be read is named in the error.
 *
 * <p>The wrapped iterator's pre-processor (read at every load, so one set later applies from then on) runs on every
 * loaded file, as the iterator itself would run it. Per-example units are not possible: they would read a whole file
 * for every example.
 *
 * <p>Call order: as {@link ExampleSource}.
 */
public final class FileBatchSource implements ExampleSource<DataSet> {
    /** The read buffer of DL4J's {@code DataSet.load(File)}, which {@code ExistingMiniBatchDataSetIterator} uses. */
    static final int DL4J_LOAD_BUFFER_BYTES = 1024 * 1024;

    private final List<File> files;
    private final Supplier<DataSetPreProcessor> preProcessor;
    private final String where;
    /** Examples per file where known, else -1. */
    private final int[] sizes;
    private long[] featureShape;
    private long[] labelShape;

    private FileBatchSource(List<File> files, Supplier<DataSetPreProcessor> preProcessor, String where) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no mini-batch files in " + where);
        }
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).isFile()) {
                throw new IllegalArgumentException(missing(i, files.get(i), files.size()));
            }
        }
        this.files = List.copyOf(files);
        this.preProcessor = preProcessor;
        this.where = where;
        this.sizes = new int[files.size()];
        Arrays.fill(sizes, -1);
    }

    /**
     * @param files          the files, in the order that counts as the source's (unit ids follow it)
     * @param preProcessor   applied to every loaded file (null for none)
     * @return the source
     * @throws IllegalArgumentException if there are no files or one is missing (named)
     */
    public static FileBatchSource of(List<File> files, DataSetPreProcessor preProcessor) {
        if (files == null) {
            throw new IllegalArgumentException("file list is null");
        }
        return new FileBatchSource(files, () -> preProcessor, files.isEmpty() ? "an empty file list"
                : files.size() + " files from " + files.get(0).getParent());
    }

    /**
     * The files an {@code ExistingMiniBatchDataSetIterator} reads ({@code String.format(pattern, i)} in its folder,
     * {@code i} from 0), with its pre-processor.
     *
     * @param it the iterator (not read)
     * @return the source
     */
    public static FileBatchSource of(ExistingMiniBatchDataSetIterator it) {
        File root = field(it, ExistingMiniBatchDataSetIterator.class, "rootDir", File.class);
        String pattern = field(it, ExistingMiniBatchDataSetIterator.class, "pattern", String.class);
        int total = field(it, ExistingMiniBatchDataSetIterator.class, "totalBatches", Integer.class);
        List<File> files = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            files.add(new File(root, String.format(pattern, i)));
        }
        return new FileBatchSource(files, it::getPreProcessor, root.getPath());
    }

    /**
     * The files a {@code FileDataSetIterator} reads, sorted by path (its own order is the file system's, shuffled
     * by default; dgrab's orders must not depend on either), with its pre-processor.
     *
     * @param it the iterator (not read), built without a batch size
     * @return the source
     * @throws IllegalArgumentException if it was built with a batch size (it would then split and merge files)
     */
    @SuppressWarnings("unchecked")
    public static FileBatchSource of(FileDataSetIterator it) {
        int batchSize = field(it, BaseFileIterator.class, "batchSize", Integer.class);
        if (batchSize > 0) {
            throw new IllegalArgumentException("this FileDataSetIterator re-batches its files to " + batchSize
                    + " examples, and dgrab orders whole files: build it without a batch size (or save files of the size "
                    + "you want) to order them with dgrab");
        }
        List<String> paths = new ArrayList<>(field(it, BaseFileIterator.class, "list", List.class));
        paths.sort(Comparator.naturalOrder());
        List<File> files = new ArrayList<>(paths.size());
        for (String p : paths) {
            files.add(new File(p));
        }
        return new FileBatchSource(files, it::getPreProcessor,
                files.isEmpty() ? "a FileDataSetIterator" : files.get(0).getParent());
    }

    private static <V> V field(Object o, Class<?> owner, String name, Class<V> type) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return type.cast(f.get(o));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("dgrab reads the file list of a " + owner.getSimpleName() + " from its field '"
                    + name + "', which this DL4J version does not have (" + e + "); list the files yourself and use "
                    + "FileBatchSource.of(files, preProcessor)", e);
        }
    }

    private static String missing(int i, File f, int n) {
        return "mini-batch file " + i + " of " + n + " (" + f + ") is missing";
    }

    /**
     * Reads one mini-batch file's {@code DataSet} ({@code DataSet.save}'s format) from a stream and checks that it
     * holds labelled examples: the loading and checks of this source, for readers that open files themselves (dgrab-spark
     * reads exported files on the executors through Hadoop's file systems).
     *
     * @param in   the file's bytes (not closed)
     * @param name the file as errors name it, e.g. {@code mini-batch file 3 of 40 (/data/b-3.bin, 1204 bytes)}
     * @return the DataSet, with features, labels and at least one example
     * @throws IOException naming the file if the bytes are not a DataSet (truncated, damaged, another format) or it
     *                     has no features, labels or examples
     */
    public static DataSet read(InputStream in, String name) throws IOException {
        DataSet d = new DataSet();
        try {
            d.load(in);
        } catch (RuntimeException e) {
            throw new IOException(name + " cannot be read as a DataSet: truncated, damaged or not written by "
                    + "DataSet.save (" + e + ")", e);
        }
        INDArray features = d.getFeatures();
        if (features == null || d.getLabels() == null || features.size(0) == 0) {
            throw new IOException(name + " has "
                    + (features == null ? "no features" : d.getLabels() == null ? "no labels" : "no examples")
                    + "; dgrab needs labelled data");
        }
        return d;
    }

    @Override
    public int examples() {
        return -1;
    }

    @Override
    public int sourceBatches() {
        return files.size();
    }

    @Override
    public synchronized int sourceBatchSize(int batch) throws IOException {
        if (sizes[batch] < 0) {
            load(batch);
        }
        return sizes[batch];
    }

    @Override
    public int batchSize() {
        try {
            return sourceBatchSize(0);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public boolean unevenBatches() {
        return false;
    }

    @Override
    public DataSet loadExamples(int[] examples) {
        throw new UnsupportedOperationException("mini-batch files are ordered as whole files (batch units): single "
                + "examples would read a whole file each");
    }

    @Override
    public DataSet loadBatches(int[] batches) throws IOException {
        if (batches.length == 1) {
            return load(batches[0]);
        }
        List<DataSet> parts = new ArrayList<>(batches.length);
        for (int b : batches) {
            parts.add(load(b));
        }
        DataSet merged;
        try {
            merged = DataSet.merge(parts);
        } catch (RuntimeException e) {
            StringBuilder shapes = new StringBuilder();
            for (int i = 0; i < batches.length; i++) {
                shapes.append(i == 0 ? "" : ", ").append("file ").append(batches[i]).append(" (")
                        .append(files.get(batches[i]).getName()).append(") features ")
                        .append(Arrays.toString(parts.get(i).getFeatures().shape()));
            }
            throw new IOException("mini-batch files served together cannot be merged into one batch: " + shapes
                    + "; files served together need the same example shape (" + e.getMessage() + ")", e);
        }
        // The parts were read for this merge alone: free them now rather than at the next garbage collection.
        for (DataSet p : parts) {
            for (INDArray a : new INDArray[] {p.getFeatures(), p.getLabels(), p.getFeaturesMaskArray(),
                    p.getLabelsMaskArray()}) {
                if (a != null && a.closeable()) {
                    a.close();
                }
            }
        }
        return merged;
    }

    private synchronized DataSet load(int b) throws IOException {
        File f = files.get(b);
        if (!f.isFile()) {
            throw new IOException(missing(b, f, files.size()));
        }
        DataSet d;
        // DataSet.load(File)'s own buffer, so that the drop-in allocates per file what the wrapped DL4J iterator
        // would. That allocation sets how often G1 collects ND4J's per-buffer bookkeeping of the training steps:
        // with an 8 KB buffer collections come three times rarer, the bookkeeping overflows the survivor space and
        // peak RSS at a million files rose to 1.7x plain DL4J's (docs/benchmarks.md, issue 22).
        try (InputStream in = new BufferedInputStream(new FileInputStream(f), DL4J_LOAD_BUFFER_BYTES)) {
            d = read(in, "mini-batch file " + b + " of " + files.size() + " (" + f + ", " + f.length() + " bytes)");
        } catch (FileNotFoundException e) {
            // Deleted between the check above and the open.
            throw new IOException(missing(b, f, files.size()), e);
        }
        INDArray features = d.getFeatures();
        if (sizes[b] >= 0 && sizes[b] != features.size(0)) {
            throw new IOException("mini-batch file " + b + " (" + f + ") now holds " + features.size(0) + " examples, "
                    + sizes[b] + " when first read: it changed during training");
        }
        sizes[b] = (int) features.size(0);
        if (featureShape == null) {
            featureShape = Arrays.copyOfRange(features.shape(), 1, features.rank());
            labelShape = Arrays.copyOfRange(d.getLabels().shape(), 1, d.getLabels().rank());
        }
        DataSetPreProcessor p = preProcessor.get();
        if (p != null) {
            p.preProcess(d);
        }
        return d;
    }

    private synchronized void ensureShapes() {
        if (featureShape == null) {
            try {
                load(0);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    @Override
    public long[] featureShape() {
        ensureShapes();
        return featureShape.clone();
    }

    @Override
    public long[] labelShape() {
        ensureShapes();
        return labelShape.clone();
    }

    @Override
    public boolean onDemand() {
        return true;
    }

    @Override
    public String describe() {
        return files.size() + " mini-batch files in " + where;
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
