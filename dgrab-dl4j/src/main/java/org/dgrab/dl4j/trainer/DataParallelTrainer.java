package org.dgrab.dl4j.trainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.api.Model;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.protocol.CommunicationStats;
import org.dgrab.core.strategy.CoordinatedPairBalance;
import org.dgrab.core.strategy.ForwardingOrderingStrategy;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.data.Sharding;
import org.dgrab.dl4j.data.UnitLayout;
import org.dgrab.dl4j.gradient.GradientSource;
import org.dgrab.dl4j.model.ModelAdapter;
import org.dgrab.dl4j.gradient.UnitSink;
import org.dgrab.dl4j.gradient.WorkerStep;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
 * ({@link Builder#optAsyncOrdering}), with results identical to reading them on the training thread.
 *
 * <p>Call order: build, then {@link #fit(int)} / {@link #fitEpoch()} / {@link #step()} any number of times,
 * {@link #save}/{@link #restore} between steps, {@link #close()} at the end. Not thread-safe.
 */
public final class DataParallelTrainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataParallelTrainer.class);
    private static final String FORMAT = "dgrab-trainer-1";
    /**
     * Models lending gradients of workers 1..n-1 to the ordering thread (worker 0 computes on the trained model
     * itself): one computes while the ordering reads the other's, so the training thread waits only if the
     * ordering falls a worker step behind.
     */
    private static final int LENDERS = 2;
    /**
     * Deferred last-layer tasks in flight at most: each holds one worker-step's heap scratch (h, logits, rows), and
     * the training thread waits only if the ordering thread falls this many worker steps behind.
     */
    private static final int DEFERRED = 4;

    private final ModelAdapter master;
    private final ExampleStore data;
    private final OrderingStrategy strategy;
    private final UnitLayout layout;
    private final Granularity granularity;
    private final int workers;
    private final int batchSize;
    private final int unitsPerStep;
    private final int stepsPerEpoch;
    private final ExecutionMode mode;
    private final ModelAdapter[] replicas;
    private final GradientSource[] sources;
    private final UnitSink[] sinks;
    private final ExecutorService pool;
    private final String description;
    /** Asynchronous ordering only (else null): models that compute gradients for the ordering thread to read. */
    private final ModelAdapter[] lenders;
    /** The ordering thread's last task reading each lender's gradient. */
    private final Future<?>[] lent;
    private final ExecutorService orderingThread;
    /** Asynchronous last-layer ordering only (else null): the ordering thread's latest deferred tasks, round robin. */
    private final Future<?>[] deferred;
    private int nextDeferred;
    private final AtomicReference<RuntimeException> orderingFailure = new AtomicReference<>();
    private Future<?> lastOrderingTask;
    /** The ordering thread's task reading worker 0's gradient, which lives in the trained model's gradient array. */
    private Future<?> masterTask;
    private int nextLender;
    /** The model that computed each worker's gradient in the current step. */
    private final ModelAdapter[] computedBy;

    private int[][] orders;
    private int position;
    private INDArray sum;
    private INDArray accumulatorArray;
    private INDArray accumulatorFlat;
    /** Views of the array gradients are summed into over running statistics, averaged rather than summed. */
    private INDArray[] statistics;
    private final long[][] statisticRanges;
    private double lossSum;
    private long examples;
    private double orderingSeconds;
    private double epochSeconds;
    private long messagesAtEpochStart;
    private long bytesAtEpochStart;
    private final long[] orderingNanos;
    private final List<EpochStats> history = new ArrayList<>();

    private DataParallelTrainer(Builder b) {
        this.master = ModelAdapter.of(b.model);
        this.statisticRanges = master.statisticRanges();
        master.checkData(b.data);
        this.data = b.data;
        this.granularity = b.granularity;
        this.workers = b.workers;
        this.batchSize = b.batchSize;
        this.mode = b.mode;
        int unitSize;
        switch (granularity) {
            case BATCH:
                unitSize = batchSize;
                break;
            case EXAMPLE_EXACT:
                unitSize = b.microbatch;
                break;
            default:
                unitSize = 1;
        }
        if (batchSize % unitSize != 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be a multiple of the micro-batch size " + unitSize);
        }
        this.unitsPerStep = batchSize / unitSize;
        int[][] shards = b.sharding.split(data.size(), workers, b.ordering.seed());
        this.layout = UnitLayout.of(shards, unitSize);
        this.strategy = decorate(b.decorator, b.ordering.create(layout.unitsPerWorker()));
        int steps = 0;
        for (int w = 0; w < workers; w++) {
            steps = Math.max(steps, (layout.units(w) + unitsPerStep - 1) / unitsPerStep);
        }
        this.stepsPerEpoch = steps;
        this.replicas = new ModelAdapter[workers];
        this.sources = new GradientSource[workers];
        this.sinks = new UnitSink[workers];
        this.orderingNanos = new long[workers];
        for (int w = 0; w < workers; w++) {
            replicas[w] = mode == ExecutionMode.THREADED ? master.replica() : master;
            if (mode == ExecutionMode.THREADED || w == 0) {
                sources[w] = GradientSource.of(granularity, replicas[w]);
            } else {
                sources[w] = sources[0];
            }
            sinks[w] = strategy.needsGradients() ? new StrategySink(w) : null;
        }
        this.pool = mode == ExecutionMode.THREADED ? Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "dgrab-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        this.computedBy = replicas.clone();
        // Batch units: the gradient is the model's whole gradient array, which the next backward pass would
        // overwrite, so workers 1..n-1 lend replicas. Last-layer units: the rows are formed from heap copies.
        // Example-exact units stay synchronous (their cost is the extra backward passes, not the ordering).
        boolean async = b.asyncOrdering && mode == ExecutionMode.SEQUENTIAL && strategy.needsGradients();
        boolean asyncBatch = async && granularity == Granularity.BATCH && workers > 1;
        boolean asyncLastLayer = async && granularity == Granularity.EXAMPLE_LAST_LAYER;
        if (asyncBatch) {
            lenders = new ModelAdapter[LENDERS];
            for (int i = 0; i < LENDERS; i++) {
                lenders[i] = master.sharingReplica();
            }
            lent = new Future<?>[LENDERS];
        } else {
            lenders = null;
            lent = null;
        }
        deferred = asyncLastLayer ? new Future<?>[DEFERRED] : null;
        orderingThread = asyncBatch || asyncLastLayer ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dgrab-ordering");
            t.setDaemon(true);
            return t;
        }) : null;
        this.description = b.ordering + (b.decorator == null ? "" : " in " + strategy.getClass().getSimpleName()) + ", "
                + workers + " worker(s), batch " + batchSize + " per worker, " + granularity.id()
                + (granularity == Granularity.EXAMPLE_EXACT ? " (micro-batch " + b.microbatch + ")" : "") + ", " + mode;
        log.info("trainer: {}; {} examples, {} steps per epoch", description, data.size(), stepsPerEpoch);
    }

    private static OrderingStrategy decorate(UnaryOperator<OrderingStrategy> decorator, OrderingStrategy created) {
        if (decorator == null) {
            return created;
        }
        OrderingStrategy d = decorator.apply(created);
        if (d == null) {
            created.close();
            throw new IllegalArgumentException("the ordering decorator returned null instead of a strategy");
        }
        boolean same = d.workers() == created.workers();
        for (int w = 0; same && w < d.workers(); w++) {
            same = d.units(w) == created.units(w);
        }
        if (!same || d.epoch() != created.epoch()) {
            d.close();
            created.close();
            throw new IllegalArgumentException("the ordering decorator must keep the workers, units per worker and epoch "
                    + "of the strategy it wraps; it returned " + d.workers() + " worker(s) at epoch " + d.epoch()
                    + " for " + created.workers() + " at epoch " + created.epoch());
        }
        return d;
    }

    /** Forwards unit gradients of one worker to the strategy and times it. */
    private final class StrategySink implements UnitSink {
        private final int worker;

        StrategySink(int worker) {
            this.worker = worker;
        }

        @Override
        public void accept(int position, INDArray gradient) {
            long t0 = System.nanoTime();
            strategy.observe(worker, position, gradient);
            orderingNanos[worker] += System.nanoTime() - t0;
        }

        @Override
        public void accept(int position, double[] values, int offset, int dim) {
            long t0 = System.nanoTime();
            strategy.observe(worker, position, values, offset, dim);
            orderingNanos[worker] += System.nanoTime() - t0;
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the ordering strategy (read its orders, not its state) */
    public OrderingStrategy ordering() {
        return strategy;
    }

    /** @return the unit layout */
    public UnitLayout layout() {
        return layout;
    }

    /** @return the data */
    public ExampleStore data() {
        return data;
    }

    /** @return synchronous steps per epoch */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
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
     */
    public EpochStats step() {
        long t0 = System.nanoTime();
        if (position == 0) {
            startEpoch();
        }
        for (int w = 0; w < workers; w++) {
            if (w == 0 || sources[w] != sources[0]) {
                sources[w].beginStep();
            }
        }
        double[] scores = new double[workers];
        int[] counts = new int[workers];
        if (mode == ExecutionMode.THREADED) {
            runThreaded(scores, counts);
        } else {
            for (int w = 0; w < workers; w++) {
                counts[w] = runWorker(w, scores);
                accumulate(w, counts[w]);
            }
        }
        int total = 0;
        double stepLoss = 0;
        for (int w = 0; w < workers; w++) {
            total += counts[w];
            stepLoss += scores[w] * counts[w];
        }
        lossSum += stepLoss;
        // Sequentially, a lone active worker's gradient is already in the model; threaded or lent, in a replica.
        int active = activeWorkers(counts);
        boolean inMaster = mode == ExecutionMode.SEQUENTIAL && lenders == null;
        if (workers > 1 && (!inMaster || active > 1)) {
            // The ordering must have read worker 0's gradient before the updater rewrites that array in place.
            awaitMasterTask();
            INDArray summed = accumulator(lenders != null ? master.gradientView() : sum);
            // An all-reduce sums gradients, but running statistics (BatchNorm's mean and variance estimates) are
            // per-batch updates: n workers' updates are averaged, as parameter averaging would.
            for (INDArray v : statistics) {
                v.divi(active);
            }
            if (lenders == null) {
                master.gradientView().reshape(summed.length()).assign(summed);
            }
        }
        if (total > 0) {
            // What listeners read as model.score(): the step's mean loss over every worker's examples.
            master.setScore(stepLoss / total);
        }
        master.applyUpdate(total);
        examples += total;
        position++;
        EpochStats done = null;
        if (position == stepsPerEpoch) {
            long o0 = System.nanoTime();
            awaitOrdering();
            strategy.endEpoch();
            orderingSeconds += (System.nanoTime() - o0) / 1e9;
            master.epochEnd();
            epochSeconds += (System.nanoTime() - t0) / 1e9;
            done = finishEpoch();
        } else {
            epochSeconds += (System.nanoTime() - t0) / 1e9;
        }
        return done;
    }

    private void startEpoch() {
        orders = new int[workers][];
        for (int w = 0; w < workers; w++) {
            orders[w] = strategy.order(w);
        }
        master.epochStart();
        CommunicationStats c = communication();
        messagesAtEpochStart = c == null ? 0 : c.messages();
        bytesAtEpochStart = c == null ? 0 : c.bytes();
    }

    private EpochStats finishEpoch() {
        long nanos = 0;
        for (int w = 0; w < workers; w++) {
            nanos += orderingNanos[w];
            orderingNanos[w] = 0;
        }
        CommunicationStats c = communication();
        EpochStats s = new EpochStats(strategy.epoch() - 1, examples == 0 ? Double.NaN : lossSum / examples, epochSeconds,
                orderingSeconds + nanos / 1e9, stepsPerEpoch, examples,
                c == null ? 0 : c.messages() - messagesAtEpochStart, c == null ? 0 : c.bytes() - bytesAtEpochStart);
        history.add(s);
        log.info("{}", s);
        position = 0;
        lossSum = 0;
        examples = 0;
        orderingSeconds = 0;
        epochSeconds = 0;
        return s;
    }

    /** @return CD-GraB's message counters (through any decorators), or null for orderings without communication */
    public CommunicationStats communication() {
        OrderingStrategy s = ForwardingOrderingStrategy.unwrap(strategy);
        return s instanceof CoordinatedPairBalance ? ((CoordinatedPairBalance) s).communication() : null;
    }

    private int runWorker(int w, double[] scores) {
        int from = position * unitsPerStep;
        int to = Math.min(from + unitsPerStep, layout.units(w));
        if (from >= to) {
            return 0;
        }
        if (deferred != null) {
            // Last-layer units: the pass and the capture now, the per-example rows and their balancing on the
            // ordering thread (each task owns its batch's scratch, so the next worker can capture meanwhile).
            int k = nextDeferred;
            nextDeferred = (nextDeferred + 1) % DEFERRED;
            await(deferred[k]);
            GradientSource.Deferred d = sources[w].computeDeferred(
                    new WorkerStep(replicas[w], data, layout, w, orders[w], from, to, sinks[w]));
            scores[w] = d.score();
            Future<?> f = orderingThread.submit(() -> runOrdering(d.emit()));
            deferred[k] = f;
            lastOrderingTask = f;
        } else if (lenders == null) {
            scores[w] = sources[w].compute(new WorkerStep(replicas[w], data, layout, w, orders[w], from, to, sinks[w]));
        } else {
            // Worker 0 computes on the trained model, so that listeners reading model.gradient() find one, and
            // the ordering reads its gradient until the step's sum overwrites it (see awaitMasterTask).
            ModelAdapter m = master;
            int slot = -1;
            if (w > 0) {
                slot = nextLender;
                nextLender = (nextLender + 1) % LENDERS;
                await(lent[slot]);
                m = lenders[slot];
                m.followCounts(master);
            }
            computedBy[w] = m;
            final int s = slot;
            scores[w] = sources[w].compute(new WorkerStep(m, data, layout, w, orders[w], from, to, (step, gradient) -> {
                Future<?> f = orderingThread.submit(() -> runOrdering(() -> sinks[w].accept(step, gradient)));
                lastOrderingTask = f;
                if (s < 0) {
                    masterTask = f;
                } else {
                    lent[s] = f;
                }
            }));
        }
        return layout.examples(w, orders[w], from, to).length;
    }

    /** Runs on the ordering thread; after a failure the remaining tasks are skipped, the first failure is kept. */
    private void runOrdering(Runnable task) {
        if (orderingFailure.get() != null) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            orderingFailure.compareAndSet(null, e);
        }
    }

    /** Waits until the ordering thread has read worker 0's gradient out of the trained model's gradient array. */
    private void awaitMasterTask() {
        if (lenders != null) {
            await(masterTask);
        }
    }

    /** Waits until the ordering thread has read every gradient handed to it; rethrows its first failure. */
    private void awaitOrdering() {
        if (orderingThread != null) {
            await(lastOrderingTask);
        }
    }

    /**
     * Before a restore: waits for the ordering thread and forgets its failure, since the restored state replaces
     * whatever the failed (and the skipped) observations left behind.
     */
    private void settleOrdering() {
        if (orderingThread == null) {
            return;
        }
        try {
            awaitOrdering();
        } catch (RuntimeException e) {
            log.info("restoring a checkpoint after an ordering failure: {}", e.getMessage());
        }
        orderingFailure.set(null);
    }

    private void await(Future<?> task) {
        if (task != null) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the ordering read gradients", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the ordering thread failed", e.getCause());
            }
        }
        RuntimeException failure = orderingFailure.get();
        if (failure != null) {
            // The same exception the synchronous path would have thrown (e.g. NonFiniteGradientException), a few
            // worker steps later.
            throw failure;
        }
    }

    private void accumulate(int w, int count) {
        if (count == 0 || workers == 1) {
            return;
        }
        INDArray g = computedBy[w].gradientView();
        INDArray flat = g.reshape(g.length());
        INDArray target;
        if (lenders != null) {
            // Summed in place in the trained model's gradient array, where worker 0's gradient already is (the
            // other workers' are in replicas): no separate sum and no final copy, in the same order of additions.
            if (computedBy[w] == master) {
                return;
            }
            awaitMasterTask();
            target = accumulator(master.gradientView());
        } else {
            if (sum == null) {
                sum = Nd4j.create(g.dataType(), g.length());
            }
            target = accumulator(sum);
        }
        if (isFirstActive(w)) {
            target.assign(flat);
        } else {
            target.addi(flat);
        }
    }

    /**
     * The flat vector gradients are summed into, and views of it over the running statistics
     * ({@link #statistics}); both are made once per array.
     *
     * @param array the separate sum, or (asynchronous ordering) the trained model's gradient array
     * @return its rank-1 view
     */
    private INDArray accumulator(INDArray array) {
        if (array != accumulatorArray) {
            accumulatorArray = array;
            accumulatorFlat = array.reshape(array.length());
            statistics = new INDArray[statisticRanges.length];
            for (int i = 0; i < statistics.length; i++) {
                long[] r = statisticRanges[i];
                statistics[i] = accumulatorFlat.get(NDArrayIndex.interval(r[0], r[0] + r[1]));
            }
        }
        return accumulatorFlat;
    }

    private boolean isFirstActive(int w) {
        for (int v = 0; v < w; v++) {
            if (position * unitsPerStep < layout.units(v)) {
                return false;
            }
        }
        return true;
    }

    private static int activeWorkers(int[] counts) {
        int a = 0;
        for (int c : counts) {
            if (c > 0) {
                a++;
            }
        }
        return a;
    }

    private void runThreaded(double[] scores, int[] counts) {
        INDArray params = master.params();
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            final int worker = w;
            fs.add(pool.submit(() -> {
                replicas[worker].params().assign(params);
                counts[worker] = runWorker(worker, scores);
            }));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while workers computed gradients", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                throw new IllegalStateException("worker failed", c);
            }
        }
        // Summed in worker order, as the sequential mode does, so both modes give the same bits.
        for (int w = 0; w < workers; w++) {
            accumulate(w, counts[w]);
        }
        if (workers == 1 && counts[0] > 0) {
            master.gradientView().assign(replicas[0].gradientView());
        }
    }

    /**
     * Writes model (with updater state, via DL4J's ModelSerializer), ordering state and position into one zip.
     * Resuming from it gives the same subsequent orders and parameters as an uninterrupted run.
     *
     * @param out sink, not closed
     * @throws IOException on failure
     */
    public void save(OutputStream out) throws IOException {
        awaitOrdering();
        ZipOutputStream zip = new ZipOutputStream(new org.apache.commons.io.output.CloseShieldOutputStream(out));
        zip.putNextEntry(new ZipEntry("trainer.properties"));
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("description", description);
        p.setProperty("position", Integer.toString(position));
        p.setProperty("lossSum", Double.toString(lossSum));
        p.setProperty("examples", Long.toString(examples));
        p.setProperty("orderingSeconds", Double.toString(orderingSeconds));
        p.setProperty("epochSeconds", Double.toString(epochSeconds));
        p.setProperty("messagesAtEpochStart", Long.toString(messagesAtEpochStart));
        p.setProperty("bytesAtEpochStart", Long.toString(bytesAtEpochStart));
        p.store(zip, "dgrab trainer checkpoint");
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("ordering.bin"));
        strategy.save(zip);
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("model.zip"));
        master.save(zip);
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    /**
     * Restores a checkpoint written by {@link #save} into this trainer, which must have been built with the same
     * configuration, data and model architecture.
     *
     * @param in source, not closed
     * @throws IOException on failure or a checkpoint of a differently configured trainer
     */
    public void restore(InputStream in) throws IOException {
        Properties p = null;
        byte[] ordering = null;
        byte[] model = null;
        ZipInputStream zip = new ZipInputStream(new org.apache.commons.io.input.CloseShieldInputStream(in));
        for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
            byte[] bytes = zip.readAllBytes();
            switch (e.getName()) {
                case "trainer.properties":
                    p = new Properties();
                    p.load(new java.io.StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
                    break;
                case "ordering.bin":
                    ordering = bytes;
                    break;
                case "model.zip":
                    model = bytes;
                    break;
                default:
                    throw new IOException("unexpected entry '" + e.getName() + "' in trainer checkpoint");
            }
        }
        if (p == null || ordering == null || model == null) {
            throw new IOException("incomplete trainer checkpoint: needs trainer.properties, ordering.bin and model.zip");
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IOException("unsupported trainer checkpoint format '" + p.getProperty("format") + "', expected " + FORMAT);
        }
        if (!description.equals(p.getProperty("description"))) {
            throw new IOException("checkpoint is of a trainer with " + p.getProperty("description") + "; this trainer has "
                    + description);
        }
        settleOrdering();
        strategy.restore(new java.io.ByteArrayInputStream(ordering));
        master.load(new java.io.ByteArrayInputStream(model));
        position = Integer.parseInt(p.getProperty("position"));
        lossSum = Double.parseDouble(p.getProperty("lossSum"));
        examples = Long.parseLong(p.getProperty("examples"));
        orderingSeconds = Double.parseDouble(p.getProperty("orderingSeconds"));
        epochSeconds = Double.parseDouble(p.getProperty("epochSeconds"));
        messagesAtEpochStart = Long.parseLong(p.getProperty("messagesAtEpochStart"));
        bytesAtEpochStart = Long.parseLong(p.getProperty("bytesAtEpochStart"));
        orders = new int[workers][];
        for (int w = 0; w < workers; w++) {
            orders[w] = strategy.order(w);
        }
    }

    /** @return a one-line description of the configuration */
    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        if (orderingThread != null) {
            orderingThread.shutdownNow();
            try {
                // The strategy must not be closed under a running observe.
                orderingThread.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        strategy.close();
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Builder of {@link DataParallelTrainer}. */
    public static final class Builder {
        private Model model;
        private ExampleStore data;
        private OrderingConfig ordering;
        private int workers = 1;
        private int batchSize = 32;
        private Granularity granularity = Granularity.BATCH;
        private int microbatch = 1;
        private boolean microbatchSet;
        private Sharding sharding = Sharding.CONTIGUOUS;
        private ExecutionMode mode = ExecutionMode.SEQUENTIAL;
        private UnaryOperator<OrderingStrategy> decorator;
        private boolean asyncOrdering = true;

        private Builder() {
        }

        /**
         * Whether the ordering reads the gradients on a thread of its own while training goes on (default
         * {@code true}). It applies to {@link ExecutionMode#SEQUENTIAL} training with an ordering that uses
         * gradients. With {@link Granularity#EXAMPLE_LAST_LAYER} units (softmax with cross-entropy) the per-example
         * vectors are formed from the captured output-layer input and logits, and balanced, on the ordering thread.
         * With {@link Granularity#BATCH} units and n > 1 workers, where handing each model-sized gradient to the
         * ordering would otherwise cost the training thread several passes over it per step, worker 0 computes
         * on the trained model, workers 1..n-1 alternate between two replicas that share its parameter array, the
         * ordering thread reads each gradient while the next worker computes, and the gradients are summed in place
         * in the trained model's gradient array; nothing is copied for the ordering on the training thread. Orders,
         * parameters and checkpoints are identical either way (the ordering sees the same gradients in the same
         * order). Costs: with batch units two more gradient-sized arrays and the replicas' activations, and the
         * trained model's listeners see worker 0's forward and backward passes only (and every iteration and epoch,
         * as always); with last-layer units up to four batches' heap scratch. An ordering error (such as
         * {@code NonFiniteGradientException} under {@code FAIL}) is thrown a few worker steps later, after the
         * updates of those steps, and a checkpoint saved before it can then be restored. Set it to
         * {@code false} to have errors thrown before the update of their step, or on a single core.
         *
         * @param async whether to order asynchronously where it applies
         * @return this
         */
        public Builder optAsyncOrdering(boolean async) {
            this.asyncOrdering = async;
            return this;
        }

        /**
         * Wraps the strategy that the ordering configuration creates, typically in a
         * {@link ForwardingOrderingStrategy} that times or measures the ordering without changing it. Default: none.
         * The wrapper is what the trainer calls and checkpoints; it must keep the wrapped strategy's workers, units and
         * epoch, and its {@link OrderingStrategy#needsGradients()} decides whether gradients are captured at all.
         *
         * @param decorator called once, at {@link #build()}, with the created strategy
         * @return this
         */
        public Builder optDecorator(UnaryOperator<OrderingStrategy> decorator) {
            if (decorator == null) {
                throw new IllegalArgumentException("ordering decorator is null");
            }
            this.decorator = decorator;
            return this;
        }

        /**
         * The model to train (required), initialised; a {@code MultiLayerNetwork} or {@code ComputationGraph}.
         *
         * @param model model
         * @return this
         */
        public Builder setModel(Model model) {
            this.model = model;
            return this;
        }

        /**
         * Training data (required).
         *
         * @param data materialised examples
         * @return this
         */
        public Builder setData(ExampleStore data) {
            this.data = data;
            return this;
        }

        /**
         * Training data (required), read once into memory ({@link ExampleStore#materialise}).
         *
         * @param source iterator
         * @return this
         */
        public Builder setData(DataSetIterator source) {
            this.data = ExampleStore.materialise(source);
            return this;
        }

        /**
         * Training data with several inputs or outputs (required, for a {@code ComputationGraph}), read once into
         * memory ({@link ExampleStore#materialise(MultiDataSetIterator)}).
         *
         * @param source iterator
         * @return this
         */
        public Builder setData(MultiDataSetIterator source) {
            this.data = ExampleStore.materialise(source);
            return this;
        }

        /**
         * The ordering (required), e.g. {@code OrderingConfig.of("cd-grab", seed)}.
         *
         * @param ordering configuration
         * @return this
         */
        public Builder setOrdering(OrderingConfig ordering) {
            this.ordering = ordering;
            return this;
        }

        /**
         * Number of workers n. Default 1.
         *
         * @param n {@code >= 1}, at most the number of examples
         * @return this
         */
        public Builder optWorkers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("number of workers must be >= 1, got " + n);
            }
            this.workers = n;
            return this;
        }

        /**
         * Mini-batch size per worker (the global batch is n times this). Default 32.
         *
         * @param b {@code >= 1}
         * @return this
         */
        public Builder optBatchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /**
         * What a unit is. Default {@link Granularity#BATCH}.
         *
         * @param g granularity
         * @return this
         */
        public Builder optGranularity(Granularity g) {
            if (g == null) {
                throw new IllegalArgumentException("granularity is null");
            }
            this.granularity = g;
            return this;
        }

        /**
         * Examples per unit for {@link Granularity#EXAMPLE_EXACT}. Default 1; must divide the batch size.
         *
         * @param m {@code >= 1}
         * @return this
         */
        public Builder optMicrobatch(int m) {
            if (m < 1) {
                throw new IllegalArgumentException("micro-batch size must be >= 1, got " + m);
            }
            this.microbatch = m;
            this.microbatchSet = true;
            return this;
        }

        /**
         * How examples are split over workers. Default {@link Sharding#CONTIGUOUS}.
         *
         * @param s sharding
         * @return this
         */
        public Builder optSharding(Sharding s) {
            if (s == null) {
                throw new IllegalArgumentException("sharding is null");
            }
            this.sharding = s;
            return this;
        }

        /**
         * Sequential or one thread per worker. Default {@link ExecutionMode#SEQUENTIAL}.
         *
         * @param m mode
         * @return this
         */
        public Builder optExecution(ExecutionMode m) {
            if (m == null) {
                throw new IllegalArgumentException("execution mode is null");
            }
            this.mode = m;
            return this;
        }

        /** @return the trainer */
        public DataParallelTrainer build() {
            if (model == null) {
                throw new IllegalArgumentException("a model is required (setModel)");
            }
            if (data == null) {
                throw new IllegalArgumentException("training data is required (setData)");
            }
            if (ordering == null) {
                throw new IllegalArgumentException("an ordering is required (setOrdering)");
            }
            if (microbatchSet && granularity != Granularity.EXAMPLE_EXACT) {
                throw new IllegalArgumentException("a micro-batch size only applies to granularity example-exact, not "
                        + granularity.id());
            }
            if (data.size() < workers) {
                throw new IllegalArgumentException("cannot train " + workers + " workers on " + data.size()
                        + " examples: every worker needs at least one");
            }
            return new DataParallelTrainer(this);
        }
    }
}
