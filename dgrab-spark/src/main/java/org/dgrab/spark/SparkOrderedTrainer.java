package org.dgrab.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.io.AtomicFiles;
import org.dgrab.dl4j.model.ModelAdapter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a DL4J model on Spark with DL4J's own parameter-averaging training ({@code SparkDl4jMultiLayer} /
 * {@code SparkComputationGraph} with a {@code ParameterAveragingTrainingMaster}) while every worker visits its shard
 * in the order a dgrab ordering chooses (CD-GraB, D-RR, ID-GraB, ...).
 *
 * <p>How: partition {@code w} of a cached RDD is worker {@code w}'s shard of units (mini-batches), never
 * repartitioned. Each epoch the driver broadcasts every worker's order; each Spark job ({@code fit}) gets exactly one
 * window of {@code W} steps per worker (the averaging frequency), picked from the cached partitions in the workers'
 * orders, trained with {@code RDDTrainingApproach.Direct} and {@code Repartition.Never} so that DL4J keeps that order.
 * A DL4J listener serialized into each task count-sketches every step's gradient and returns the sketch with the task
 * (a Spark accumulator, deduplicated by (epoch, worker, step)); the driver balances the window's reports in canonical
 * order and, at the end of the epoch, computes the next orders. With {@code W = 1} and plain SGD this is synchronous
 * data-parallel SGD, the same as {@code DataParallelTrainer} up to float rounding; {@code W > 1} is local SGD.
 *
 * <p>Nothing of dgrab opens a port or a connection: data, orders and reports travel through Spark (broadcasts, task
 * results), so Spark's own authentication and encryption settings cover them.
 *
 * <p>Call order: build, {@link #fit(int)} / {@link #fitEpoch()} any number of times, {@link #save}/{@link #restore}
 * between epochs, {@link #close()} at the end (drops the cached shards; the Spark context stays the caller's). Not
 * thread-safe.
 */
public final class SparkOrderedTrainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SparkOrderedTrainer.class);

    private final JavaSparkContext sc;
    private final ModelAdapter model;
    private final SparkDl4jMultiLayer sparkNet;
    private final SparkComputationGraph sparkGraph;
    private final ShardedUnits units;
    private final DriverOrdering ordering;
    private final ReportAccumulator accumulator;
    private final SketchReportListener listener;
    private final int averagingFrequency;
    private final int sketchDim;
    private final String configuration;
    private final List<SparkEpochStats> history = new ArrayList<>();
    /** Why the last epoch failed (model and ordering may be partly updated), or null. */
    private String failure;

    SparkOrderedTrainer(SparkTrainerBuilder b, ShardedUnits units, int sketchDim) {
        this.sc = b.sc;
        this.model = ModelAdapter.of(b.model);
        this.units = units;
        this.averagingFrequency = b.averagingFrequency;
        this.sketchDim = sketchDim;
        int d = (int) b.model.params().length();
        int reported = sketchDim > 0 ? sketchDim : d;
        this.ordering = new DriverOrdering(b.ordering, units.units(), b.model.params().dataType(), reported);
        this.accumulator = new ReportAccumulator();
        sc.sc().register(accumulator, "dgrab step reports");
        this.listener = new SketchReportListener(accumulator, ordering.needsGradients(), b.ordering.seed(), sketchDim,
                b.drop, b.fullGradients);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(b.workers, b.batchSize)
                .batchSizePerWorker(b.batchSize)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                // The window RDDs are one-off views of the cached shards: persisting each would fill the cache.
                .storageLevel(null)
                .collectTrainingStats(false)
                .build();
        List<TrainingListener> listeners = new ArrayList<>(b.listeners);
        listeners.add(listener);
        if (b.model instanceof MultiLayerNetwork) {
            sparkNet = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) b.model, tm);
            sparkNet.setListeners(listeners);
            sparkGraph = null;
        } else {
            sparkGraph = new SparkComputationGraph(sc, (ComputationGraph) b.model, tm);
            sparkGraph.setListeners(listeners);
            sparkNet = null;
        }
        this.configuration = b.ordering + (sketchDim > 0 ? " sketched to k=" + sketchDim : " with full gradients")
                + ", " + b.workers + " worker(s), batch " + b.batchSize + " per worker, averaging frequency "
                + averagingFrequency + ", units " + java.util.Arrays.toString(units.units()) + ", " + units.examples()
                + " examples, " + b.model.getClass().getSimpleName() + " of " + d + " parameters";
        log.info("spark trainer: {}", configuration);
    }

    /** @return a builder */
    public static SparkTrainerBuilder builder() {
        return new SparkTrainerBuilder();
    }

    /** @return completed epochs */
    public int epoch() {
        return ordering.epoch();
    }

    /** @return every worker's order of the current epoch: entry {@code [w][t]} is the unit worker w visits at step t */
    public int[][] orders() {
        return ordering.orders();
    }

    /** @return units (mini-batches) of each worker */
    public int[] unitsPerWorker() {
        return units.units();
    }

    /** @return the sketch dimension the executors use (0: full gradients) */
    public int sketchDim() {
        return sketchDim;
    }

    /** @return the trained model (the driver's copy, updated after every Spark job) */
    public Model model() {
        return model.model();
    }

    /** @return statistics of every epoch trained by this trainer */
    public List<SparkEpochStats> history() {
        return List.copyOf(history);
    }

    /**
     * Trains some epochs.
     *
     * @param epochs number of epochs, {@code >= 1}
     * @return their statistics
     */
    public List<SparkEpochStats> fit(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        List<SparkEpochStats> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            out.add(fitEpoch());
        }
        return out;
    }

    /**
     * Trains one epoch: one Spark job per window of {@code W} steps, then the next orders.
     *
     * @return the epoch's statistics
     */
    public SparkEpochStats fitEpoch() {
        if (failure != null) {
            throw new IllegalStateException("cannot train: " + failure + "; restore the last good checkpoint first");
        }
        try {
            return trainEpoch();
        } catch (RuntimeException | Error e) {
            failure = "epoch " + ordering.epoch() + " failed (" + e + ")";
            throw e;
        }
    }

    private SparkEpochStats trainEpoch() {
        long t0 = System.nanoTime();
        int epoch = ordering.epoch();
        int steps = ordering.steps();
        long o0 = System.nanoTime();
        int[][] orders = ordering.orders();
        Broadcast<int[][]> shared = sc.broadcast(orders);
        long orderingNanos = System.nanoTime() - o0;
        long orderBytes = 0;
        for (int[] o : orders) {
            orderBytes += 4L * o.length;
        }
        double lossSum = 0;
        long examples = 0;
        long reports = 0;
        long reportBytes = 0;
        long duplicatesBefore = accumulator.duplicates();
        int jobs = 0;
        try {
            for (int from = 0; from < steps; from += averagingFrequency) {
                int to = Math.min(steps, from + averagingFrequency);
                listener.setWindow(epoch, from);
                JavaRDD<DataSet> window = units.rdd().mapPartitionsWithIndex(new WindowSelector(shared, from, to), true);
                if (sparkNet != null) {
                    sparkNet.fit(window);
                } else {
                    sparkGraph.fit(window);
                }
                jobs++;
                long a0 = System.nanoTime();
                Map<ReportKey, StepReport> used = ordering.accept(from, to, accumulator.drain());
                orderingNanos += System.nanoTime() - a0;
                for (StepReport r : used.values()) {
                    lossSum += r.score() * r.examples();
                    examples += r.examples();
                    reports++;
                    reportBytes += r.bytes();
                }
            }
        } finally {
            shared.destroy();
        }
        long e0 = System.nanoTime();
        List<Integer> fallback = ordering.endEpoch();
        orderingNanos += System.nanoTime() - e0;
        // SparkDl4jMultiLayer.fit counts every job as an epoch; DL4J's epoch count (schedules) follows ours instead.
        setEpochCount(epoch + 1);
        SparkEpochStats s = new SparkEpochStats(epoch, examples == 0 ? Double.NaN : lossSum / examples,
                (System.nanoTime() - t0) / 1e9, orderingNanos / 1e9, steps, jobs, examples, reports, reportBytes,
                orderBytes, accumulator.duplicates() - duplicatesBefore, fallback);
        history.add(s);
        log.info("{}", s);
        return s;
    }

    private void setEpochCount(int count) {
        Model m = model.model();
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).getLayerWiseConfigurations().setEpochCount(count);
        } else {
            ((ComputationGraph) m).getConfiguration().setEpochCount(count);
        }
    }

    /**
     * Writes a checkpoint between epochs: the model (with updater state) as a DL4J model zip that also holds the
     * ordering state. Restoring it into a trainer built the same way gives the same orders as an uninterrupted run.
     *
     * @param out sink, not closed
     * @throws IOException on failure
     * @throws IllegalStateException after a failed epoch (model and ordering may be partly updated, or the ordering
     *                               refused a non-finite gradient): nothing is written then
     */
    public void save(OutputStream out) throws IOException {
        if (failure != null) {
            throw new IllegalStateException("cannot save: " + failure + ", leaving a state that cannot be resumed; "
                    + "restore the last good checkpoint (one saved before the failure) first");
        }
        SparkCheckpoint.write(out, configuration, ordering.epoch(), ordering.save(), model);
    }

    /**
     * Writes a checkpoint as {@link #save(OutputStream)} does, crash-safely: to a temporary file beside {@code file},
     * forced to the disk and renamed over it ({@link AtomicFiles}), so a kill or a full disk leaves the previous
     * checkpoint as it was.
     *
     * @param file the checkpoint file (replaced); its directory must exist
     * @throws IOException           naming the file on failure (the previous one is then unchanged)
     * @throws IllegalStateException after a failed epoch; nothing is written then
     */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, this::save);
    }

    /**
     * Restores a checkpoint file written by {@link #save(Path)}, as {@link #restore(InputStream)} does.
     *
     * @param file the checkpoint file
     * @throws IOException as {@link #restore(InputStream)}, with the file's name in the message
     */
    public void restore(Path file) throws IOException {
        AtomicFiles.read(file, this::restore);
    }

    /**
     * Restores a checkpoint written by {@link #save} into this trainer, which must be built with the same
     * configuration (ordering, workers, batch, averaging frequency, sketch, data layout) and model configuration.
     * Everything is checked before anything changes.
     *
     * @param in source, not closed
     * @throws IOException on failure or a checkpoint of another configuration (the message says which)
     */
    public void restore(InputStream in) throws IOException {
        SparkCheckpoint.Contents c = SparkCheckpoint.read(in, configuration, model);
        byte[] previous;
        try {
            previous = ordering.save();
        } catch (IllegalStateException e) {
            // A failed epoch leaves an ordering that cannot be saved: restoring the last good checkpoint is the way
            // out, so it goes ahead without a way back.
            previous = null;
        }
        ordering.restore(c.ordering());
        if (ordering.epoch() != c.epoch()) {
            int found = ordering.epoch();
            if (previous != null) {
                ordering.restore(previous);
            }
            throw new IOException("checkpoint is at epoch " + c.epoch() + " but its ordering state at epoch " + found);
        }
        c.model().apply();
        failure = null;
    }

    /** @return the configuration, one line */
    @Override
    public String toString() {
        return configuration;
    }

    /** Drops the cached shards and the ordering state; the Spark context stays open. */
    @Override
    public void close() {
        units.release();
        ordering.close();
    }
}
