package org.dgrab.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.dgrab.core.internal.io.AtomicFiles;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Exported {@code DataSet} files laid out for {@link SparkTrainerBuilder#setDataPaths}: one folder per worker, one
 * file per mini-batch, and the RDD of their paths with one partition per worker.
 *
 * <p>{@link #export} writes data that sits on one machine (the command line's training set, a local data set) once,
 * cut into shards and units exactly as {@code DataParallelTrainer} and {@code setData(DataSetIterator)} cut them, so
 * training from the files visits the same units, in the same orders. Data that is already in Spark is better exported
 * by the executors themselves, with DL4J's {@code BatchAndExportDataSetsFunction} on an RDD with one partition per
 * worker ({@code data.mapPartitionsWithIndex(new BatchAndExportDataSetsFunction(batch, dir), true)} gives such an RDD
 * of paths), so that no data passes through the driver at all.
 */
public final class ExportedShards {
    private ExportedShards() {
    }

    /**
     * Reads the iterator once and writes worker {@code w}'s unit {@code j} to {@code dir/worker-w/batch-jjjjjj.bin}
     * with {@code DataSet.save}, each file crash-safely ({@link AtomicFiles}: a temporary beside it, forced to disk and
     * renamed), so that a killed export leaves whole files or none, never a truncated one. Files of an earlier export
     * with the same names are replaced; the folders are created.
     *
     * @param data    the training data (reset first where it can be)
     * @param dir     the export folder, on storage every executor can read (a shared folder on a cluster)
     * @param workers workers n, {@code >= 1}
     * @param batch   examples per file, {@code >= 1}; the last file of a shard may hold fewer
     * @return per worker, the {@code file:} URIs of its files in unit order
     * @throws IOException naming the file that could not be written
     * @throws IllegalArgumentException for fewer examples than workers, or a bad count
     */
    public static List<List<String>> export(DataSetIterator data, Path dir, int workers, int batch)
            throws IOException {
        if (data == null || dir == null) {
            throw new IllegalArgumentException("missing " + (data == null ? "training iterator" : "export folder"));
        }
        if (workers < 1 || batch < 1) {
            throw new IllegalArgumentException((workers < 1 ? "workers" : "batch size") + " must be >= 1, got "
                    + (workers < 1 ? workers : batch));
        }
        // Contiguous sharding ignores the seed: the files do not depend on the ordering's.
        ShardedUnits.Cut cut = ShardedUnits.cut(data, workers, batch, 0);
        List<List<String>> out = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            Path folder = Files.createDirectories(dir.resolve("worker-" + w)).toAbsolutePath();
            int units = cut.layout().units(w);
            List<String> files = new ArrayList<>(units);
            for (int j = 0; j < units; j++) {
                Path file = folder.resolve(String.format(Locale.ROOT, "batch-%06d.bin", j));
                DataSet unit = cut.unit(w, j);
                AtomicFiles.write(file, unit::save);
                files.add(file.toUri().toString());
            }
            out.add(files);
        }
        return out;
    }

    /**
     * The paths as an RDD with one partition per worker: partition {@code w} holds {@code files.get(w)}, in order.
     * The paths travel in the tasks (a few bytes each); the files stay where they are.
     *
     * @param sc    the context
     * @param files per worker, its files in unit order (each list non-empty)
     * @return the RDD for {@link SparkTrainerBuilder#setDataPaths}
     * @throws IllegalArgumentException for no workers or a worker without files
     */
    public static JavaRDD<String> paths(JavaSparkContext sc, List<List<String>> files) {
        if (sc == null || files == null || files.isEmpty()) {
            throw new IllegalArgumentException(sc == null ? "missing Spark context" : "no workers' files given");
        }
        List<ArrayList<String>> shards = new ArrayList<>(files.size());
        for (int w = 0; w < files.size(); w++) {
            if (files.get(w) == null || files.get(w).isEmpty()) {
                throw new IllegalArgumentException("worker " + w + " has no files: every worker needs at least one");
            }
            shards.add(new ArrayList<>(files.get(w)));
        }
        // n lists in n slices: Spark's parallelize puts list w alone in partition w.
        return sc.parallelize(shards, shards.size()).flatMap(List::iterator);
    }
}
