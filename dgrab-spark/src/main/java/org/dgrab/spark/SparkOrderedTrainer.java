package org.dgrab.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.internal.config.OrderingIdentity;
import org.dgrab.core.internal.io.AtomicFiles;
import org.dgrab.core.internal.state.ConfigIdentity;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a DL4J model on Spark with DL4J's own parameter-averaging training ({@code SparkDl4jMultiLayer} /
 * {@code SparkComputationGraph} with a {@code ParameterAveragingTrainingMaster}) while every worker visits its shard
 * in the order a dgrab ordering chooses (CD-GraB, D-RR, ID-GraB, ...).
 *
 * <p>How: partition {@code w} of a cached RDD is worker {@code w}'s shard of units (mini-batches in memory, or the
 * paths of exported {@code DataSet} files that the executors load), never repartitioned. Each epoch the driver
 * broadcasts every worker's order; each Spark job ({@code fit} or {@code fitPaths}) gets exactly one window of
 * {@code W} steps per worker (the averaging frequency), picked from the cached partitions in the workers' orders,
 * trained with {@code RDDTrainingApproach.Direct} and {@code Repartition.Never} so that DL4J keeps that order.
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
 * thread-safe. A Spark job that fails beyond Spark's retries ends the epoch with a
 * {@link SparkEpochAbortedException}; the trainer then refuses to train or save until {@link #restore} loads a
 * checkpoint written between epochs.
 */
public final class SparkOrderedTrainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SparkOrderedTrainer.class);

    private final JavaSparkContext sc;
    private final ModelAdapter model;
    private final SparkNetwork spark;
    private final ShardedUnits units;
    /** Replaced whole by {@link #restore}, so that a refused checkpoint leaves the current state untouched. */
    private DriverOrdering ordering;
    private final OrderingConfig orderingConfig;
    private final DataType reportType;
    private final int reportDim;
    private final ReportAccumulator accumulator;
    private final SketchReportListener listener;
    private final int averagingFrequency;
    private final int sketchDim;
    /** The configuration in one line, for logs and messages. */
    private final String configuration;
    /** What a checkpoint must match, field by field. */
    private final ConfigIdentity identity;
    private final List<SparkEpochStats> history = new ArrayList<>();
    /** Set when an epoch stopped part-way; cleared by a successful {@link #restore}. */
    private SparkEpochAbortedException aborted;
    /** The epoch of the last checkpoint this trainer wrote or restored, -1 if none: named in the restore hint. */
    private int lastSavedEpoch = -1;

    SparkOrderedTrainer(SparkTrainerBuilder b, ShardedUnits units, int sketchDim) {
        this.sc = b.sc;
        this.model = ModelAdapter.of(b.model);
        this.units = units;
        this.averagingFrequency = b.averagingFrequency;
        this.sketchDim = sketchDim;
        int d = (int) b.model.params().length();
        int reported = sketchDim > 0 ? sketchDim : d;
        this.orderingConfig = b.ordering;
        this.reportType = b.model.params().dataType();
        this.reportDim = reported;
        this.ordering = new DriverOrdering(orderingConfig, units.units(), reportType, reportDim);
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
                .storageLevelStreams(null)
                .collectTrainingStats(false)
                .build();
        List<TrainingListener> listeners = new ArrayList<>(b.listeners);
        listeners.add(listener);
        this.spark = SparkNetwork.of(sc, b.model, tm, listeners);
        this.configuration = b.ordering + (sketchDim > 0 ? " sketched to k=" + sketchDim : " with full gradients")
                + ", " + b.workers + " worker(s), batch " + b.batchSize + " per worker, averaging frequency "
                + averagingFrequency + ", " + units.describe() + ", " + b.model.getClass().getSimpleName() + " of " + d + " parameters";
        this.identity = OrderingIdentity.of(b.ordering).with("reportSketch", sketchDim).with("workers", b.workers)
                .with("batch", b.batchSize).with("averagingFrequency", averagingFrequency)
                .with("units", Arrays.toString(units.units())).with("examples", units.examples() < 0 ? "exported files" : units.examples())
                .with("parameters", d);
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
     * Trains some epochs, one {@link #fitEpoch()} after the other.
     *
     * @param epochs number of epochs, {@code >= 1}
     * @return their statistics
     * @throws SparkEpochAbortedException if a Spark job failed (see {@link #fitEpoch()})
     * @throws IllegalStateException if an earlier epoch was aborted and no checkpoint was restored since
     */
    public List<SparkEpochStats> fit(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        requireUsable("fit(" + epochs + ")");
        List<SparkEpochStats> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            out.add(fitEpoch());
        }
        return out;
    }

    /**
     * Trains one epoch: one Spark job per window of {@code W} steps, then the next orders.
     *
     * <p>If a job fails beyond Spark's retries, the epoch stops with a {@link SparkEpochAbortedException} (cause,
     * epoch and window named); from then on this call, {@link #fit} and {@link #save} are refused, before any Spark
     * job runs, until {@link #restore} loads a checkpoint written between epochs.
     *
     * @return the epoch's statistics
     * @throws SparkEpochAbortedException if a job of this epoch failed (the model then holds a partial epoch)
     * @throws IllegalStateException if an earlier epoch was aborted and no checkpoint was restored since
     */
    public SparkEpochStats fitEpoch() {
        // State first, then Spark: a refused call must not have run a job (which would change the parameters).
        requireUsable("fitEpoch()");
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
        int from = 0;
        int to = 0;
        List<Integer> fallback;
        try {
            while (from < steps) {
                to = Math.min(steps, from + averagingFrequency);
                listener.setWindow(epoch, from);
                units.fit(spark, shared, from, to);
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
                from = to;
            }
            long e0 = System.nanoTime();
            fallback = ordering.endEpoch();
            orderingNanos += System.nanoTime() - e0;
        } catch (Exception e) {
            // Spark throws its (checked) SparkException through Scala code, hence Exception, not RuntimeException.
            throw abort(e, epoch, from, to, steps);
        } catch (Error e) {
            abort(e, epoch, from, to, steps);
            throw e;
        } finally {
            shared.destroy();
        }
        // SparkDl4jMultiLayer.fit counts every job as an epoch; DL4J's epoch count (schedules) follows ours instead.
        setEpochCount(epoch + 1);
        SparkEpochStats s = new SparkEpochStats(epoch, examples == 0 ? Double.NaN : lossSum / examples,
                (System.nanoTime() - t0) / 1e9, orderingNanos / 1e9, steps, jobs, examples, reports, reportBytes,
                orderBytes, accumulator.duplicates() - duplicatesBefore, fallback);
        history.add(s);
        log.info("{}", s);
        return s;
    }

    /**
     * Records that the epoch stopped part-way, so that later calls are refused, and builds the exception that says so.
     */
    private SparkEpochAbortedException abort(Throwable e, int epoch, int from, int to, int steps) {
        // Reports of the failed job's successful tasks may have arrived; they belong to no epoch that will go on.
        accumulator.drain();
        String message = AbortMessages.stopped(e, epoch, from, to, steps, averagingFrequency, lastSavedEpoch);
        aborted = new SparkEpochAbortedException(message, epoch, from, Math.max(from, to), e);
        log.error("{}", message);
        return aborted;
    }

    /**
     * Refuses a call on a trainer whose epoch was aborted, and any call in the middle of an epoch.
     *
     * @param call the refused call, for the message
     */
    private void requireUsable(String call) {
        if (aborted != null) {
            throw new IllegalStateException(AbortMessages.refused(call, aborted, lastSavedEpoch), aborted);
        }
        if (ordering.position() != 0) {
            throw new IllegalStateException(call + " refused: epoch " + ordering.epoch() + " is at step "
                    + ordering.position() + " of " + ordering.steps() + " (SparkOrderedTrainer is not thread-safe: "
                    + "is another thread training it?)");
        }
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
     * <p>Checkpoints exist only between epochs: the driver's ordering state mid-epoch is not saved. So after an
     * aborted epoch ({@link SparkEpochAbortedException}) this is refused, with a message saying to {@link #restore}
     * the last checkpoint written between epochs.
     *
     * @param out sink, not closed
     * @throws IOException on failure
     * @throws IllegalStateException after an aborted epoch, until a checkpoint is restored
     */
    public void save(OutputStream out) throws IOException {
        requireUsable("save()");
        SparkCheckpoint.write(out, identity, ordering.epoch(), ordering.save(), model);
        lastSavedEpoch = ordering.epoch();
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
     * configuration (ordering, workers, batch, averaging frequency, sketch, data layout; compared field by field) and
     * model configuration.
     * Everything is checked before anything changes. This is also how a trainer goes on after an aborted epoch
     * ({@link SparkEpochAbortedException}): the model, the updater and the orders return to the checkpoint's epoch.
     *
     * @param in source, not closed
     * @throws IOException on failure or a checkpoint of another configuration (the message says which)
     */
    public void restore(InputStream in) throws IOException {
        SparkCheckpoint.Contents c = SparkCheckpoint.read(in, identity, configuration, model);
        // Into a new ordering: the current one may be mid-epoch (after an aborted epoch), and stays as it is if the
        // checkpoint is refused.
        DriverOrdering restored = new DriverOrdering(orderingConfig, units.units(), reportType, reportDim);
        try {
            restored.restore(c.ordering());
            if (restored.epoch() != c.epoch()) {
                throw new IOException("checkpoint is at epoch " + c.epoch() + " but its ordering state at epoch "
                        + restored.epoch());
            }
            c.model().apply();
        } catch (IOException | RuntimeException e) {
            restored.close();
            throw e;
        }
        DriverOrdering previous = ordering;
        ordering = restored;
        previous.close();
        // Reports of an aborted job may still sit in the accumulator; they would be taken for the next epoch's.
        accumulator.drain();
        aborted = null;
        lastSavedEpoch = c.epoch();
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
