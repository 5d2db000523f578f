package org.dgrab.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

import org.apache.spark.TaskContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.dgrab.dl4j.internal.data.FileBatchSource;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Loads one exported {@code DataSet} file on an executor, for DL4J's {@code fitPaths}: DL4J opens the path through
 * Hadoop's file systems (local, HDFS, S3, ... as the cluster's Hadoop configuration allows) and this reads it with
 * {@link FileBatchSource#read}'s checks. Every failure names the path and the worker, so that the failed task, and
 * the {@link SparkEpochAbortedException} it leads to, say which file to look at.
 *
 * <p>It also checks the file's size against the step: DL4J's worker re-batches what it loads to the batch size, so a
 * file of more examples would be split over two steps (the second one dropped at the end of a window) and, with an
 * averaging frequency above 1, a short file merged with the next one; either would break the one file = one step
 * that the orders rely on.
 */
final class ExportedFileLoader implements DataSetLoader {
    private static final long serialVersionUID = 1L;

    private final int batch;
    private final boolean fullBatches;

    /**
     * @param batch       examples per step: a file must hold at most this many
     * @param fullBatches whether a file must hold exactly {@code batch} (averaging frequency above 1)
     */
    ExportedFileLoader(int batch, boolean fullBatches) {
        this.batch = batch;
        this.fullBatches = fullBatches;
    }

    @Override
    public DataSet load(Source source) throws IOException {
        String path = source.getPath();
        TaskContext task = TaskContext.get();
        String name = "exported DataSet file " + path + (task == null ? "" : " (worker " + task.partitionId() + ")");
        DataSet d;
        try (InputStream in = source.getInputStream()) {
            d = FileBatchSource.read(in, name);
        } catch (FileNotFoundException e) {
            throw new IOException(name + " is missing: " + e.getMessage(), e);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(name) ? e
                    : new IOException(name + " cannot be read: " + e, e);
        }
        int n = d.numExamples();
        if (n > batch) {
            throw new IOException(name + " holds " + n + " examples, more than the batch size " + batch + ": DL4J's "
                    + "worker would split it over two steps; export mini-batches of " + batch + " examples (or set "
                    + "optBatchSize(" + n + "))");
        }
        if (fullBatches && n < batch) {
            throw new IOException(name + " holds " + n + " examples, fewer than the batch size " + batch + ": with an "
                    + "averaging frequency above 1 every file must be a full batch (DL4J's worker merges a short batch "
                    + "with the next file of its window); use averaging frequency 1 or export full batches only");
        }
        return d;
    }
}
