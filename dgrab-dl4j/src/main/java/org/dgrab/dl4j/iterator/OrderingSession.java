package org.dgrab.dl4j.iterator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.data.ExampleStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind both drop-in iterators: the materialised examples, the units and their shards, the strategy,
 * which served batch is which worker's steps, and the matching of arriving gradients to served batches.
 *
 * <p>Call order, per epoch: {@link #next} until {@link #hasNext()} is false (the listener calls
 * {@link #onForwardPass} and {@link #onGradient} for every trained batch, possibly on other threads), then
 * {@link #reset()}. The strategy's epoch ends as soon as the last batch's gradient has been observed, so a
 * checkpoint taken at the end of an epoch ({@link #save}) holds the next epoch's orders. Gradients are matched to
 * the batch that was trained (the model's input array is the served batch's features), not to the batch served
 * last, so prefetching consumers ({@code AsyncDataSetIterator}) and ParallelWrapper's worker threads work.
 *
 * <p>Thread-safety: {@code next}, {@code reset}, {@code save} and {@code restore} come from one consumer thread;
 * gradients may arrive concurrently from several threads (one per worker). Bookkeeping is under one lock; the
 * strategy's {@code observe} runs outside it, concurrently for different workers, as the strategy allows, or, with
 * {@link OrderedIteratorBuilder#optObserverThread}, on the {@link ObserverThread} (a copy of the gradient is taken
 * on the training thread). Either way a batch counts as trained once its gradients reached the strategy, and
 * {@link #save} and {@link #restore} wait for observations in progress. A failure on the observer thread is
 * rethrown by the next call of any thread ({@code next}, {@code reset}, the next gradient, {@code save}).
 */
final class OrderingSession {
    private static final Logger log = LoggerFactory.getLogger(OrderingSession.class);

    private final IteratorSettings settings;
    private final Supplier<ExampleStore> materialiser;
    private final GradientListener listener = new GradientListener(this);
    private final Object lock = new Object();
    private final ServedBatches pending = new ServedBatches();
    private final GradientDispatch dispatch;
    private final WrapperReplicas replicas = new WrapperReplicas();

    private ExampleStore store;
    private int[][][] unitExamples;
    private BatchPlan plan;
    private OrderingStrategy strategy;
    private int[][] orders;
    private int cursor;
    private int trained;
    /** Batches matched to a gradient whose observation has not finished yet. */
    private int inFlight;
    /** Every batch of the epoch was trained and the strategy has moved to the next epoch; reset() serves it. */
    private boolean finished;
    /**
     * reset() came after the last batch was served but before its gradient arrived (MultipleEpochsIterator resets
     * at once): the next epoch is served as soon as that gradient has been observed.
     */
    private boolean resetRequested;
    private boolean warnedReattach;
    /** The observer thread's failure: the ordering missed a gradient and cannot go on. */
    private IllegalStateException observerFailure;

    /**
     * @param settings     validated settings
     * @param materialiser reads the wrapped iterator into a store, once
     */
    OrderingSession(IteratorSettings settings, Supplier<ExampleStore> materialiser) {
        this.settings = settings;
        this.materialiser = materialiser;
        this.dispatch = new GradientDispatch(settings);
        settings.model().ifPresent(this::attach);
    }

    /** @return the listener that reports the model's forward passes and gradients to this session */
    TrainingListener listener() {
        return listener;
    }

    private void ensureMaterialised() {
        if (store != null) {
            return;
        }
        ExampleStore s = materialiser.get();
        SessionLayout layout = SessionLayout.of(s, settings);
        OrderingStrategy created = settings.ordering().create(layout.counts());
        store = s;
        unitExamples = layout.unitExamples();
        plan = layout.plan();
        strategy = created;
        startEpoch();
    }

    private void startEpoch() {
        orders = new int[settings.workers()][];
        for (int w = 0; w < orders.length; w++) {
            orders[w] = strategy.order(w);
        }
        cursor = 0;
        trained = 0;
        finished = false;
        resetRequested = false;
        pending.clear();
        replicas.startEpoch();
        dispatch.clear();
    }

    /**
     * @return the strategy (reads the data on first call), once no gradient is being observed: after a training
     *         call returns, its last observations may still be running on the observer thread
     */
    OrderingStrategy strategy() {
        synchronized (lock) {
            ensureMaterialised();
            awaitObservations("read the ordering");
            return strategy;
        }
    }

    /** @return the examples (reads the data on first call) */
    ExampleStore store() {
        synchronized (lock) {
            ensureMaterialised();
            return store;
        }
    }

    /** @return batches per epoch */
    int batches() {
        synchronized (lock) {
            ensureMaterialised();
            return plan.batches();
        }
    }

    /** @return examples per served batch of a full step: per worker, or all workers together when joined */
    int batchSize() {
        synchronized (lock) {
            ensureMaterialised();
            int size = 0;
            for (BatchPlan.Slice sl : plan.slices(0)) {
                for (int p = sl.from(); p < sl.to(); p++) {
                    size += unitExamples[sl.worker()][p].length;
                }
            }
            return size;
        }
    }

    boolean hasNext() {
        synchronized (lock) {
            ensureMaterialised();
            return resetRequested || cursor < plan.batches();
        }
    }

    /**
     * Serves the next batch.
     *
     * @param factory builds it
     * @param <T>     DataSet or MultiDataSet
     * @return the batch
     * @throws IllegalStateException if earlier batches were trained without their gradients reaching the listener
     */
    <T> T next(BatchFactory<T> factory) {
        synchronized (lock) {
            ensureMaterialised();
            checkObserver();
            if (resetRequested) {
                awaitEpochEnd();
                startEpoch();
            }
            if (cursor >= plan.batches()) {
                throw new NoSuchElementException("epoch " + strategy.epoch() + " has only " + plan.batches()
                        + " batches; call reset() for the next epoch");
            }
            ensureListener();
            checkTrained(cursor);
            BatchPlan.Slice[] slices = plan.slices(cursor);
            int n = 0;
            for (BatchPlan.Slice sl : slices) {
                for (int p = sl.from(); p < sl.to(); p++) {
                    n += unitExamples[sl.worker()][orders[sl.worker()][p]].length;
                }
            }
            int[] idx = new int[n];
            int k = 0;
            for (BatchPlan.Slice sl : slices) {
                for (int p = sl.from(); p < sl.to(); p++) {
                    int[] e = unitExamples[sl.worker()][orders[sl.worker()][p]];
                    System.arraycopy(e, 0, idx, k, e.length);
                    k += e.length;
                }
            }
            T batch = factory.build(store, idx);
            if (watching()) {
                pending.add(new ServedBatches.Served(cursor, slices, factory.key(batch), factory.labels(batch), factory.labelsMask(batch)));
            }
            cursor++;
            return batch;
        }
    }

    private boolean watching() {
        return settings.model().isPresent();
    }

    /**
     * Re-attaches the listener if the model lost it ({@code setListeners} after wrapping is a common habit). Not
     * with ParallelWrapper: its builder moves the model's listeners to its workers, and worker 0 trains the model
     * itself, so a listener added here would report twice.
     */
    private void ensureListener() {
        if (settings.parallelWrapper() || !watching()) {
            return;
        }
        Model m = settings.model().get();
        if (!Models.listeners(m).contains(listener)) {
            if (!warnedReattach) {
                log.warn("dgrab's gradient listener was removed from the {} (setListeners after building the ordered "
                        + "iterator); re-attached it, the ordering goes on", m.getClass().getSimpleName());
                warnedReattach = true;
            }
            attach(m);
        }
    }

    private void attach(Model m) {
        Models.addListener(m, listener);
    }

    /**
     * Refuses to go on when batches a synchronous training loop has already trained never reported a gradient:
     * the model being trained is not the watched one, or its listeners were replaced where dgrab cannot see it.
     * Evaluation passes and prefetching threads have no training loop on their stack and are let through.
     */
    private void checkTrained(int batch) {
        if (!watching() || inFlight > 0 || pending.isEmpty() || trained >= plan.trainedBefore(batch)
                || pending.firstBatch() >= plan.trainedBefore(batch)) {
            return;
        }
        TrainingCaller.current().ifPresent(loop -> {
            throw SessionErrors.missingGradient(loop, pending.firstBatch(), strategy.epoch(),
                    settings.model().get().getClass().getSimpleName(), settings.parallelWrapper());
        });
    }

    /**
     * Handles {@code reset()}: a pass in which nothing was trained only rewinds; a pass whose every batch was
     * trained has already moved the strategy on and now serves the next epoch; a pass whose every batch was served
     * but not yet trained (MultipleEpochsIterator resets right after serving the last one) serves the next epoch
     * once the last gradient has arrived. Without a model, a complete pass ends the epoch here.
     *
     * @throws IllegalStateException after training on part of an epoch, or for a new pass after an epoch that
     *                               ParallelWrapper trained with shared gradients (DL4J deadlocks there)
     */
    void reset() {
        synchronized (lock) {
            ensureMaterialised();
            checkObserver();
            if (finished) {
                if (replicas.sharedGradients()) {
                    throw SessionErrors.secondSharedGradientsFit();
                }
                log.debug("epoch {} ordered by {}", strategy.epoch(), settings.ordering());
                startEpoch();
                return;
            }
            if (!watching()) {
                if (cursor == plan.batches()) {
                    strategy.endEpoch();
                    startEpoch();
                } else {
                    cursor = 0;
                }
                return;
            }
            if (trained == 0 && inFlight == 0) {
                cursor = 0;
                pending.clear();
                return;
            }
            if (cursor == plan.batches()) {
                resetRequested = true;
                return;
            }
            throw new IllegalStateException("reset() after training on " + trained + " of " + plan.batches()
                    + " batches of epoch " + strategy.epoch() + ": " + settings.ordering().kind().id()
                    + " needs a whole epoch before it can reorder");
        }
    }

    /**
     * After a requested reset, waits until the last batches' gradients have been observed. A synchronous training
     * loop has trained them on this very thread already, so for it a missing gradient is an error at once; other
     * callers (a prefetching thread ahead of the trainer) wait up to the ordering's timeout.
     */
    private void awaitEpochEnd() {
        if (finished) {
            return;
        }
        Optional<String> loop = TrainingCaller.current();
        if (loop.isPresent() && !loop.get().startsWith("ParallelWrapper") && inFlight == 0) {
            throw SessionErrors.missingGradient(loop.get(), pending.isEmpty() ? trained : pending.firstBatch(),
                    strategy.epoch(), settings.model().get().getClass().getSimpleName(), settings.parallelWrapper());
        }
        await(() -> finished, "wait for the last gradients of epoch " + strategy.epoch(), () ->
                SessionErrors.epochNotTrained(plan.batches() - trained, strategy.epoch(), settings.ordering().signTimeout()));
    }

    /** Listener callback (MultiLayerNetwork): keeps the output layer's input for per-example gradients. */
    void onForwardPass(Model m, java.util.List<INDArray> activations) {
        dispatch.onForwardPass(m, activations);
    }

    /** Listener callback (ComputationGraph): keeps the output layer's input for per-example gradients. */
    void onForwardPass(Model m, Map<String, INDArray> activations) {
        dispatch.onForwardPass(m, activations);
    }

    /**
     * Listener callback after a backward pass: hands the gradients of the trained batch's units to the strategy.
     * Gradients of batches not served here (the model trained on other data) are ignored.
     *
     * @param m the model (or ParallelWrapper replica) that computed the gradient
     */
    void onGradient(Model m) {
        ServedBatches.Served s;
        int epoch;
        synchronized (lock) {
            if (store == null) {
                return;
            }
            checkObserver();
            s = pending.match(Models.input(m));
            if (s == null) {
                return;
            }
            int worker = s.slices()[0].worker();
            if (settings.parallelWrapper()) {
                int seen = replicas.trained(m, worker);
                if (seen >= 0) {
                    pending.putBack(s);
                    throw SessionErrors.replicaOfTwoWorkers(seen, worker, settings.workers(), s.batch());
                }
            } else if (s.batch() != trained + inFlight) {
                // Batches still in flight (on the observer thread) were matched already.
                pending.putBack(s);
                throw SessionErrors.outOfOrder(s.batch(), trained + inFlight, strategy.epoch());
            }
            epoch = strategy.epoch();
            inFlight++;
        }
        dispatch.observe(strategy, m, s, epoch, this::observed);
    }

    /**
     * Ends one observation: counts the batch as trained, and ends the strategy's epoch after its last batch.
     *
     * @param done    whether the batch's gradients reached the strategy
     * @param failure the observer thread's failure, or null (a failure on a training thread propagates there)
     */
    private void observed(boolean done, IllegalStateException failure) {
        synchronized (lock) {
            inFlight--;
            try {
                if (done) {
                    trained++;
                    if (trained == plan.batches() && inFlight == 0) {
                        strategy.endEpoch();
                        finished = true;
                    }
                } else if (failure != null && observerFailure == null) {
                    observerFailure = failure;
                }
            } catch (RuntimeException e) {
                if (!dispatch.offThread()) {
                    throw e;
                }
                if (observerFailure == null) {
                    observerFailure = new IllegalStateException("dgrab's observer thread failed to end epoch "
                            + strategy.epoch() + ", so the ordering cannot go on: " + e, e);
                }
            } finally {
                lock.notifyAll();
            }
        }
    }

    /** Rethrows, on the calling thread, the observer thread's failure. Call under the lock. */
    private void checkObserver() {
        if (observerFailure != null) {
            throw new IllegalStateException(observerFailure.getMessage(), observerFailure.getCause());
        }
    }

    /**
     * Waits until no gradient is being observed (on the observer thread, or on another worker's training thread),
     * up to the ordering's timeout. Call under the lock.
     *
     * @param what what needs the quiet, for the message
     */
    private void awaitObservations(String what) {
        await(() -> inFlight == 0, what, () -> new IllegalStateException("cannot " + what + " while " + inFlight
                + " gradient(s) are being observed: waited " + settings.ordering().signTimeout() + " for them"));
        checkObserver();
    }

    /**
     * Waits under the lock, up to the ordering's sign timeout, rethrowing the observer thread's failure.
     *
     * @param until    the condition waited for, read under the lock
     * @param what     what waits, for the message on interrupt
     * @param timedOut the refusal after the timeout
     */
    private void await(BooleanSupplier until, String what, Supplier<IllegalStateException> timedOut) {
        long deadline = System.nanoTime() + settings.ordering().signTimeout().toNanos();
        while (!until.getAsBoolean()) {
            checkObserver();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw timedOut.get();
            }
            try {
                lock.wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while trying to " + what, e);
            }
        }
    }

    /**
     * Writes the iterator's position and the strategy's state. At the end of an epoch it records the start of the
     * next one.
     *
     * @param out sink, not closed
     * @throws IOException on write failure
     * @throws IllegalStateException if gradients are still being observed after the ordering's sign timeout, or the
     *                               observer thread failed
     */
    void save(OutputStream out) throws IOException {
        synchronized (lock) {
            ensureMaterialised();
            awaitObservations("save the ordering");
            ByteArrayOutputStream ordering = new ByteArrayOutputStream();
            strategy.save(ordering);
            SessionState.write(out, settings.granularity(), settings.workers(), plan.batches(), finished ? 0 : trained,
                    ordering);
        }
    }

    /**
     * Replaces the position and the strategy's state with a {@link #save}d one, of an iterator with the same
     * settings and data; nothing changes if it fails.
     *
     * @param in source, not closed; read to its end
     * @throws IOException if the state is damaged or from a differently configured iterator (the message says what)
     */
    void restore(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        synchronized (lock) {
            ensureMaterialised();
            awaitObservations("restore the ordering");
            SessionState.Checked c = SessionState.read(all, settings.granularity(), settings.workers(), plan.batches());
            strategy.restore(new ByteArrayInputStream(all, c.strategyOffset(), c.strategyLength()));
            startEpoch();
            cursor = c.position();
            trained = c.position();
        }
    }

    /** Releases the strategy. */
    void close() {
        dispatch.shutdown();
        synchronized (lock) {
            if (strategy != null) {
                strategy.close();
            }
        }
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
