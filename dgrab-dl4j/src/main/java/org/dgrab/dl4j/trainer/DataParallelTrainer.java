package org.dgrab.dl4j.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.config.OrderingIdentity;
import org.dgrab.core.internal.io.AtomicFiles;
import org.dgrab.core.internal.state.ConfigIdentity;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.internal.data.UnitLayout;
import org.dgrab.dl4j.internal.gradient.UnitTarget;
import org.dgrab.dl4j.internal.gradient.WorkerStep;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous data-parallel training of one DL4J model by {@code n} workers, each visiting its own shard in the
 * order an {@link OrderingStrategy} (CD-GraB, D-RR, ID-GraB, ...) chooses.
 *
 * <p>Each step, every worker computes the gradient of its next units; the gradients are summed (what an
 * all-reduce does; running statistics such as BatchNorm's mean and variance estimates are averaged instead) and
 * applied once through the model's own configured updater, so SGD, Nesterovs, Adam,
 * regularisation and gradient normalisation behave exactly as in {@code fit}, and the model's DL4J listeners
 * (ScoreIterationListener, StatsListener, CheckpointListener, ...) see every iteration and epoch. Each unit's
 * gradient is handed to the strategy; orderings that ignore gradients get none and cost nothing. With batch and
 * last-layer units the strategy reads the gradients on a thread of its own by default
 * ({@link TrainerBuilder#optAsyncOrdering}), with results identical to reading them on the training thread.
 *
 * <p>The pieces of a step: a {@link StepPlan} says which units each worker computes, an {@link OrderingPipeline}
 * computes them and hands their gradients to the strategy, a {@link GradientSum} combines the workers' gradients,
 * the model's {@code UpdateStep} applies them, and {@link EpochAccounting} adds up the epoch's statistics;
 * {@link TrainerCheckpoint} is the checkpoint format.
 *
 * <p>Call order: build, then {@link #fit(int)} / {@link #fitEpoch()} / {@link #step()} any number of times,
 * {@link #save}/{@link #restore} between steps, {@link #close()} at the end. Not thread-safe.
 */
public final class DataParallelTrainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataParallelTrainer.class);

    private final ModelAdapter master;
    private final ExampleStore data;
    private final OrderingStrategy strategy;
    private final StepPlan plan;
    private final int workers;
    /** Per worker where its unit gradients go: its {@link StrategySink}, or NONE for orderings that ignore them. */
    private final UnitTarget[] targets;
    /** The sinks of {@link #targets}, whose time in the strategy each epoch reports; empty without gradients. */
    private final List<StrategySink> sinks = new ArrayList<>();
    private final OrderingPipeline pipeline;
    /** How the workers of a step run: sequentially or one thread each. */
    private final WorkerExecution execution;
    private final GradientSum sum;
    private final EpochAccounting accounting = new EpochAccounting();
    /** What a checkpoint must match, field by field: everything that shapes the orders and the steps, not the mode. */
    private final ConfigIdentity identity;
    /** The configuration in one line, without the mode, for messages. */
    private final String configuration;
    private final String description;
    /** Why the last step failed (its state is partly updated), or null. */
    private String failure;
    private final List<EpochStats> history = new ArrayList<>();
    private int[][] orders;
    private int position;

    DataParallelTrainer(TrainerBuilder<?> b) {
        this.master = ModelAdapter.of(b.model);
        master.checkData(b.data);
        this.data = b.data;
        this.workers = b.workers;
        int unitSize = StepPlan.unitSize(b.granularity, b.batchSize, b.microbatch);
        UnitLayout layout = UnitLayout.of(b.sharding.split(data.size(), workers, b.ordering.seed()), unitSize);
        this.plan = StepPlan.of(layout, b.batchSize / unitSize);
        this.strategy = TrainerParts.decorate(b.decorator, b.ordering.create(layout.unitsPerWorker()));
        this.targets = new UnitTarget[workers];
        for (int w = 0; w < workers; w++) {
            if (strategy.needsGradients()) {
                StrategySink s = new StrategySink(strategy, w);
                sinks.add(s);
                targets[w] = UnitTarget.to(s);
            } else {
                targets[w] = UnitTarget.NONE;
            }
        }
        boolean threaded = b.mode == ExecutionMode.THREADED;
        this.execution = WorkerExecution.of(b.mode, workers);
        this.pipeline = TrainerParts.pipeline(b, threaded, master, strategy);
        this.sum = pipeline instanceof LentReplicaPipeline ? GradientSum.inPlace(master, workers, pipeline::inPlaceSum)
                : GradientSum.separate(master, workers);
        this.configuration = b.ordering + (b.decorator == null ? "" : " in " + strategy.getClass().getSimpleName()) + ", "
                + workers + " worker(s), batch " + b.batchSize + " per worker, " + b.granularity.id()
                + (b.granularity == Granularity.EXAMPLE_EXACT ? " (micro-batch " + b.microbatch + ")" : "") + ", "
                + b.sharding + " sharding of " + data.size() + " examples";
        this.identity = OrderingIdentity.of(b.ordering)
                .with("decorator", b.decorator == null ? "none" : strategy.getClass().getName())
                .with("workers", workers).with("batch", b.batchSize).with("granularity", b.granularity.id())
                .with("microbatch", b.granularity == Granularity.EXAMPLE_EXACT ? b.microbatch : 0)
                .with("sharding", b.sharding.name()).with("examples", data.size())
                .with("units", Arrays.toString(layout.unitsPerWorker()));
        this.description = configuration + ", " + b.mode;
        log.info("trainer: {}; {} examples, {} steps per epoch", description, data.size(), plan.stepsPerEpoch());
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the ordering strategy (read its orders, not its state) */
    public OrderingStrategy ordering() {
        return strategy;
    }

    /** @return the unit layout (package-private: an internal type, read by this package's tests) */
    UnitLayout layout() {
        return plan.layout();
    }

    /** @return the data (package-private: an internal type, read by this package's tests) */
    ExampleStore data() {
        return data;
    }

    /** @return synchronous steps per epoch */
    public int stepsPerEpoch() {
        return plan.stepsPerEpoch();
    }

    /** @return the current step within the epoch */
    public int position() {
        return position;
    }

    /** @return completed epochs */
    public int epoch() {
        return strategy.epoch();
    }

    /** @return statistics of every completed epoch so far */
    public List<EpochStats> history() {
        return List.copyOf(history);
    }

    /**
     * Trains for some epochs (finishing the current one first if a restore left it half done).
     *
     * @param epochs number of epochs, {@code >= 1}
     * @return statistics of those epochs
     */
    public List<EpochStats> fit(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        List<EpochStats> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            out.add(fitEpoch());
        }
        return out;
    }

    /**
     * Trains until the end of the current epoch.
     *
     * @return the epoch's statistics
     */
    public EpochStats fitEpoch() {
        while (true) {
            EpochStats s = step();
            if (s != null) {
                return s;
            }
        }
    }

    /**
     * One synchronous step: every worker with units left computes its next units, the summed gradient is applied
     * once. At the last step of an epoch the ordering computes the next orders.
     *
     * @return the epoch's statistics if this step ended the epoch, else null
     * @throws IllegalStateException if an earlier step failed and no checkpoint was restored since (its state is
     *                               partly updated)
     */
    public EpochStats step() {
        if (failure != null) {
            // Retrying would meet the half-applied step (the ordering has seen some of its units already) and fail
            // with a message about that symptom; say what happened and what to do instead.
            throw new IllegalStateException("cannot train on: " + failure + " and left the model and the ordering "
                    + "partly updated; restore the last checkpoint (restore(...)) before the next step");
        }
        boolean done = false;
        try {
            EpochStats s = runStep();
            done = true;
            return s;
        } finally {
            if (!done) {
                failure = "the step at position " + position + " of epoch " + strategy.epoch() + " failed";
            }
        }
    }

    private EpochStats runStep() {
        long t0 = System.nanoTime();
        if (position == 0) {
            startEpoch();
        }
        pipeline.beginStep();
        double[] scores = new double[workers];
        int[] counts = new int[workers];
        execution.step(w -> computeWorker(w, scores, counts), w -> addToSum(w, counts), () -> {
            // Listeners reading the model's batch (StatsListener) find the last worker's, as sequentially.
            int last = 0;
            for (int w = 0; w < workers; w++) {
                last = counts[w] > 0 ? w : last;
            }
            master.takeBatchOf(pipeline.gradientOf(last));
        });
        pipeline.endStep();
        sum.finish();
        int total = 0;
        double stepLoss = 0;
        for (int w = 0; w < workers; w++) {
            total += counts[w];
            stepLoss += scores[w] * counts[w];
        }
        if (total > 0) {
            // What listeners read as model.score(): the step's mean loss over every worker's examples.
            master.setScore(stepLoss / total);
        }
        master.applyUpdate(total);
        accounting.step(stepLoss, total);
        position++;
        EpochStats done = null;
        if (position == plan.stepsPerEpoch()) {
            long o0 = System.nanoTime();
            pipeline.awaitAll();
            strategy.endEpoch();
            accounting.addOrderingSeconds((System.nanoTime() - o0) / 1e9);
            master.epochEnd();
            accounting.addSeconds((System.nanoTime() - t0) / 1e9);
            done = finishEpoch();
        } else {
            accounting.addSeconds((System.nanoTime() - t0) / 1e9);
        }
        return done;
    }

    private void computeWorker(int w, double[] scores, int[] counts) {
        if (!plan.active(w, position)) {
            return;
        }
        WorkerStep ws = new WorkerStep(master, data, plan.layout(), w, orders[w], plan.from(position),
                plan.to(w, position), targets[w]);
        scores[w] = pipeline.compute(ws);
        counts[w] = ws.examples().length;
    }

    private void addToSum(int w, int[] counts) {
        if (counts[w] > 0) {
            sum.add(pipeline.gradientOf(w).gradientVector());
        }
    }

    private void startEpoch() {
        orders = new int[workers][];
        for (int w = 0; w < workers; w++) {
            orders[w] = strategy.order(w);
        }
        master.epochStart();
        accounting.start(strategy.stats());
    }

    private EpochStats finishEpoch() {
        long nanos = 0;
        for (StrategySink s : sinks) {
            nanos += s.takeNanos();
        }
        EpochStats s = accounting.finish(strategy.epoch() - 1, plan.stepsPerEpoch(), nanos, strategy.stats());
        history.add(s);
        log.info("{}", s);
        position = 0;
        return s;
    }

    /**
     * Writes a checkpoint: a DL4J model zip (with updater state, readable by {@code ModelSerializer}) that also holds
     * the ordering state, the position in the epoch and the epoch's totals. Resuming from it gives the same
     * subsequent orders and parameters as an uninterrupted run, in either execution mode.
     *
     * @param out sink, not closed
     * @throws IOException           on failure
     * @throws IllegalStateException if the last step failed (its state is partly updated and cannot be resumed)
     */
    public void save(OutputStream out) throws IOException {
        pipeline.awaitAll();
        if (failure != null) {
            throw new IllegalStateException("cannot save: " + failure + ", leaving a state that cannot be resumed; "
                    + "restore the last good checkpoint (one saved before the failure) first");
        }
        TrainerCheckpoint.write(out, identity, position, accounting.state(), strategy, master);
    }

    /**
     * Writes a checkpoint as {@link #save(OutputStream)} does, crash-safely: to a temporary file beside {@code file},
     * forced to the disk and renamed over it ({@link AtomicFiles}), so a kill or a full disk leaves the previous
     * checkpoint as it was.
     *
     * @param file the checkpoint file (replaced); its directory must exist
     * @throws IOException           naming the file on failure (the previous one is then unchanged)
     * @throws IllegalStateException if the last step failed; nothing is written then
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
     * Restores a checkpoint written by {@link #save} into this trainer, which must have been built with the same
     * configuration (the execution mode may differ), data and model configuration. Everything is checked first:
     * either the ordering, the model and the position are all restored, or (with an exception) none is changed.
     *
     * @param in source, not closed
     * @throws IOException on failure, a field out of range, or a checkpoint of a differently configured trainer or
     *                     model
     */
    public void restore(InputStream in) throws IOException {
        TrainerCheckpoint.Contents c = TrainerCheckpoint.read(in, identity, configuration, plan.stepsPerEpoch(),
                master);
        pipeline.settle();
        c.restoreOrdering(strategy);
        c.model().apply();
        position = c.position();
        accounting.restore(c.accounting());
        orders = new int[workers][];
        for (int w = 0; w < workers; w++) {
            orders[w] = strategy.order(w);
        }
        failure = null;
    }

    /** @return a one-line description of the configuration */
    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        pipeline.close();
        strategy.close();
        execution.close();
    }

    /**
     * Builder of {@link DataParallelTrainer}; its settings are those of {@link TrainerBuilder}. Required:
     * {@code setModel}, {@code setData}, {@code setOrdering}.
     */
    public static final class Builder extends TrainerBuilder<Builder> {
        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }
    }
}
