package org.dgrab.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Builder of {@link SparkOrderedTrainer}. Required: {@link #setContext}, {@link #setModel}, {@link #setOrdering} and
 * one of the {@code setData} / {@link #setDataPaths} calls; {@code optX} calls have documented defaults. Bad values are refused when set,
 * combinations at {@link #build()}, each with a message naming the value and what is valid.
 */
public final class SparkTrainerBuilder {
    /** Sketch size left to the trainer: see {@link #optSketchDim}. */
    public static final int AUTO_SKETCH = -1;

    JavaSparkContext sc;
    Model model;
    OrderingConfig ordering;
    /** The training data's source; null until a {@code setData} or {@code setDataPaths} call (required). */
    private SparkData data;
    int workers;
    int batchSize = 32;
    int averagingFrequency = 1;
    private int sketchDim = AUTO_SKETCH;
    final List<TrainingListener> listeners = new ArrayList<>();
    SketchReportListener.DropFilter drop;
    ReportAccumulator fullGradients;

    SparkTrainerBuilder() {
    }

    /**
     * @param sc the Spark context (local mode or a cluster); stays the caller's to stop
     * @return this
     */
    public SparkTrainerBuilder setContext(JavaSparkContext sc) {
        this.sc = require(sc, "Spark context");
        return this;
    }

    /**
     * @param model an initialised {@code MultiLayerNetwork} or {@code ComputationGraph} (single input and output);
     *              the driver's copy, which holds the averaged parameters after every job
     * @return this
     */
    public SparkTrainerBuilder setModel(Model model) {
        require(model, "model");
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("dgrab-spark trains a MultiLayerNetwork or a ComputationGraph, got "
                    + model.getClass().getName());
        }
        this.model = model;
        return this;
    }

    /**
     * @param ordering the ordering (CD-GraB, D-RR, ID-GraB, ...); a sketch dimension in it is the sketch the
     *                 executors use
     * @return this
     */
    public SparkTrainerBuilder setOrdering(OrderingConfig ordering) {
        this.ordering = require(ordering, "ordering");
        return this;
    }

    /**
     * Training data already in Spark: partition {@code w} is worker {@code w}'s shard (so the RDD must have one
     * partition per worker); its DataSets (single examples or batches) are concatenated in partition order and cut
     * into units of the batch size.
     *
     * @param data the RDD
     * @return this
     */
    public SparkTrainerBuilder setData(JavaRDD<DataSet> data) {
        this.data = new SparkData.Partitions(require(data, "training RDD"));
        return this;
    }

    /**
     * Training data on the driver, read once and parallelized: contiguous shards cut into consecutive batches, as
     * {@code DataParallelTrainer} cuts them.
     *
     * @param data the iterator (reset first where it can be)
     * @return this
     */
    public SparkTrainerBuilder setData(DataSetIterator data) {
        this.data = new SparkData.Driver(require(data, "training iterator"));
        return this;
    }

    /**
     * Training data as exported {@code DataSet} files, DL4J's Spark export layout (files written by
     * {@code DataSet.save}, e.g. by {@code BatchAndExportDataSetsFunction}, as {@code SparkDl4jMultiLayer.fitPaths}
     * reads them): partition {@code w} is worker {@code w}'s shard, so the RDD must have one partition per worker,
     * none empty; a partition's paths, in partition order, are that worker's units (one file = one mini-batch of at
     * most the batch size; exactly the batch size with an averaging frequency above 1). The driver collects the paths
     * and never reads a file: each task loads the files of its window, through Hadoop's file systems as DL4J does
     * ({@code fitPaths}), so the paths must be readable from every executor (HDFS, S3, a shared folder). A missing or
     * unreadable file fails its task with the path named. Batch units only, as for every source on Spark.
     *
     * @param files the paths, one partition per worker
     * @return this
     */
    public SparkTrainerBuilder setDataPaths(JavaRDD<String> files) {
        this.data = new SparkData.Paths(require(files, "RDD of exported DataSet paths"));
        return this;
    }

    /**
     * @param n workers, {@code >= 1}; default: the RDD's partitions (data or paths), or the context's default
     *          parallelism for an iterator
     * @return this
     */
    public SparkTrainerBuilder optWorkers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + n);
        }
        this.workers = n;
        return this;
    }

    /**
     * @param b examples per unit and per worker step, {@code >= 1}; default 32
     * @return this
     */
    public SparkTrainerBuilder optBatchSize(int b) {
        if (b < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + b);
        }
        this.batchSize = b;
        return this;
    }

    /**
     * @param w steps each worker takes between two parameter averagings, {@code >= 1}; default 1 (synchronous SGD).
     *          Above 1 every unit must be a full batch (DL4J's worker merges a short batch with the next one)
     * @return this
     */
    public SparkTrainerBuilder optAveragingFrequency(int w) {
        if (w < 1) {
            throw new IllegalArgumentException("averaging frequency must be >= 1, got " + w);
        }
        this.averagingFrequency = w;
        return this;
    }

    /**
     * @param k sketch dimension of the gradient reports: {@code >= 1}, 0 for full gradients, or {@link #AUTO_SKETCH}
     *          (default): the ordering's sketch if it has one, else the largest k whose report is at most 1 % of the
     *          gradient's bytes ({@link #defaultSketchDim})
     * @return this
     */
    public SparkTrainerBuilder optSketchDim(int k) {
        if (k < AUTO_SKETCH) {
            throw new IllegalArgumentException("sketch dimension must be >= 1, 0 (full gradients) or " + AUTO_SKETCH
                    + " (automatic), got " + k);
        }
        this.sketchDim = k;
        return this;
    }

    /**
     * Only batch units are supported on Spark: example units would need the per-example last-layer rows formed on
     * the executors, one report per example (a documented limit).
     *
     * @param g the granularity; only {@link Granularity#BATCH}
     * @return this
     */
    public SparkTrainerBuilder optGranularity(Granularity g) {
        if (g != Granularity.BATCH) {
            throw new IllegalArgumentException("dgrab-spark orders batch units only, got granularity " + g.id()
                    + " (per-example units are not supported on Spark, see docs/usage.md)");
        }
        return this;
    }

    /**
     * Extra DL4J listeners to run inside the Spark tasks (they must be {@link Serializable}; DL4J never calls the
     * driver's copies).
     *
     * @param more listeners
     * @return this
     */
    public SparkTrainerBuilder optListeners(TrainingListener... more) {
        for (TrainingListener l : more) {
            if (!(require(l, "listener") instanceof Serializable)) {
                throw new IllegalArgumentException("listener " + l.getClass().getName() + " is not Serializable: "
                        + "Spark ships listeners to the executors");
            }
            listeners.add(l);
        }
        return this;
    }

    /** Test hook: reports with these keys are not sent, as if they were lost. */
    SparkTrainerBuilder optDropReports(SketchReportListener.DropFilter filter) {
        this.drop = filter;
        return this;
    }

    /** Test hook: every step's full gradient also goes to this (registered) accumulator. */
    SparkTrainerBuilder optCaptureGradients(ReportAccumulator into) {
        this.fullGradients = into;
        return this;
    }

    /**
     * The default sketch: the largest {@code k} with {@code header + k·w <= d·w / 100} bytes ({@code w} the float
     * width), at least 1 and at most {@code d}.
     *
     * @param d         gradient length
     * @param byteWidth bytes per value
     * @return k
     */
    public static int defaultSketchDim(long d, int byteWidth) {
        long k = (d * byteWidth / 100 - StepReport.HEADER_BYTES) / byteWidth;
        return (int) Math.max(1, Math.min(d, k));
    }

    /**
     * Caches the shards (one Spark job; for exported files, one that collects the paths) and builds the trainer.
     *
     * @return the trainer
     * @throws IllegalArgumentException for a missing setting or a combination that cannot work (named)
     */
    public SparkOrderedTrainer build() {
        require(sc, "Spark context (setContext)");
        require(model, "model (setModel)");
        require(ordering, "ordering (setOrdering)");
        if (data == null) {
            throw new IllegalArgumentException("no training data: call setData with a JavaRDD<DataSet> or a "
                    + "DataSetIterator, or setDataPaths with a JavaRDD<String> of exported DataSet files");
        }
        if (workers == 0) {
            workers = data.defaultWorkers(sc);
        }
        long d = model.params().length();
        int k = sketchDim;
        int configured = ordering.sketchDim();
        if (configured > 0 && k != AUTO_SKETCH && k != configured) {
            throw new IllegalArgumentException("the ordering " + ordering + " sketches to " + configured
                    + ", but optSketchDim asks for " + k + ": set one of them");
        }
        if (!ordering.kind().needsGradients()) {
            k = 0;
        } else if (configured > 0) {
            k = configured;
        } else if (k == AUTO_SKETCH) {
            k = defaultSketchDim(d, model.params().dataType().width());
        }
        if (k > d) {
            throw new IllegalArgumentException("sketch dimension " + k + " exceeds the model's " + d + " parameters");
        }
        ShardedUnits units = data.shard(sc, workers, batchSize, averagingFrequency > 1, ordering.seed());
        try {
            if (averagingFrequency > 1 && units.shortUnits() > 0) {
                throw new IllegalArgumentException("averaging frequency " + averagingFrequency + " needs full batches "
                        + "of " + batchSize + " in every shard (DL4J's worker merges a short batch with the next one "
                        + "of its window); shards of " + units.examples() + " examples over " + workers + " workers "
                        + "leave a short batch: use averaging frequency 1 or a number of examples that fills them");
            }
            return new SparkOrderedTrainer(this, units, k);
        } catch (RuntimeException e) {
            units.release();
            throw e;
        }
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + what);
        }
        return value;
    }
}
