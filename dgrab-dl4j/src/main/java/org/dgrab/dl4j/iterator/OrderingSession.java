package org.dgrab.dl4j.iterator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Model;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.internal.data.ExampleSource;
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
 * {@link OrderedIteratorBuilder#optObserverThread}, on dgrab's ordering thread
 * ({@link org.dgrab.dl4j.internal.gradient.OrderingThread}; a copy of the gradient is taken on the training thread). Either way a batch counts as trained once its gradients reached the strategy, and
 * {@link #save} and {@link #restore} wait for observations in progress. A failure on the observer thread is
 * rethrown by the next call of any thread ({@code next}, {@code reset}, the next gradient, {@code save}).
 */
final class OrderingSession {
    private static final Logger log = LoggerFactory.getLogger(OrderingSession.class);

    private final IteratorSettings settings;
    private final Supplier<? extends ExampleSource<?>> materialiser;
    private final GradientListener listener = new GradientListener(this);
    private final Object lock = new Object();
    private final ServedBatches pending = new ServedBatches();
    private final GradientDispatch dispatch;
    private final WrapperReplicas replicas = new WrapperReplicas();
    private final Observations observations;
    private final ListenerGuard guard;
    private final ServedMemory memory;

    private BatchLoader loader;
    private SessionLayout layout;
    private BatchPlan plan;
    private OrderingStrategy strategy;
    private int[][] orders;
    private int cursor;
    private int trained;
    /**
     * Batches served at the start of this epoch outside any training loop (a peek with {@code next()} before
     * {@code fit}); when training then starts without a reset, they are served again.
     */
    private int peeked;
    /** Every batch of the epoch was trained and the strategy has moved to the next epoch; reset() serves it. */
    private boolean finished;
    /**
     * reset() came after the last batch was served but before its gradient arrived (MultipleEpochsIterator resets
     * at once): the next epoch is served as soon as that gradient has been observed.
     */
    private boolean resetRequested;

    /**
     * @param settings     validated settings
     * @param materialiser opens the wrapped iterator as a source (reads it, or records where its examples are), once
     */
    OrderingSession(IteratorSettings settings, Supplier<? extends ExampleSource<?>> materialiser) {
        this.settings = settings;
        this.materialiser = materialiser;
        this.dispatch = GradientDispatch.of(settings);
        this.observations = new Observations(lock, settings.ordering().signTimeout());
        this.guard = new ListenerGuard(settings, listener);
        this.memory = new ServedMemory(ServedMemory.lagFor(settings.parallelWrapper() ? settings.workers() : 1));
    }

    /** @return the listener that reports the model's forward passes and gradients to this session */
    GradientListener listener() {
        return listener;
    }

    private void ensureMaterialised() {
        if (loader != null) {
            return;
        }
        ExampleSource<?> s = materialiser.get();
        SessionLayout l = SessionLayout.of(s, settings);
        OrderingStrategy created = settings.ordering().create(l.counts());
        loader = new BatchLoader(s, l);
        layout = l;
        plan = l.plan();
        strategy = created;
        startEpoch();
    }

    private void startEpoch() {
        loader.restart();
        orders = new int[settings.workers()][];
        for (int w = 0; w < orders.length; w++) {
            orders[w] = strategy.order(w);
        }
        cursor = 0;
        trained = 0;
        peeked = 0;
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
            observations.awaitNone("read the ordering");
            return strategy;
        }
    }

    /** @return where the examples come from (reads or lists the data on first call) */
    ExampleSource<?> source() {
        synchronized (lock) {
            ensureMaterialised();
            return loader.source();
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
            return layout.fullBatchSize();
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
        int k;
        int epoch;
        int[][] o;
        boolean freeable;
        synchronized (lock) {
            ensureMaterialised();
            observations.check();
            if (resetRequested) {
                awaitEpochEnd();
                startEpoch();
            }
            if (cursor >= plan.batches()) {
                throw new NoSuchElementException("epoch " + strategy.epoch() + " has only " + plan.batches()
                        + " batches; call reset() for the next epoch");
            }
            guard.ensureAttached();
            servePeekedAgain();
            guard.warnIfTrainedBefore(strategy.epoch());
            checkTrained(cursor);
            k = cursor;
            epoch = strategy.epoch();
            o = orders;
            freeable = watching() && memory.servingToTrainingLoop(epoch);
        }
        // Loading may wait on disk: outside the lock, so that gradients of earlier batches can arrive meanwhile. Only
        // this consumer thread moves the cursor, and a failed load leaves it where it was.
        T loaded = loader.load(k, epoch, o);
        INDArray[] fresh = freeable ? factory.arrays(loaded) : null;
        T batch = factory.prepare(loaded);
        synchronized (lock) {
            if (watching()) {
                pending.add(new ServedBatches.Served(k, plan.slices(k), factory.key(batch), factory.labels(batch),
                        factory.labelsMask(batch), freeable ? ServedMemory.owned(fresh, factory.arrays(batch)) : null));
            }
            cursor++;
            memory.served();
        }
        return batch;
    }

    /**
     * At the start of an epoch (nothing trained, nothing being observed) a training loop that finds batches already
     * taken outside any loop (a peek at {@code next()}, a partial evaluation pass) gets the epoch from its first batch:
     * the ordering needs every batch trained, and DL4J's {@code fit} does not reset an iterator that has batches left.
     */
    private void servePeekedAgain() {
        if (!watching() || trained > 0 || observations.inFlight() > 0 || cursor != peeked) {
            return;
        }
        boolean inLoop = TrainingCaller.current().isPresent();
        if (!inLoop) {
            peeked++;
        } else if (peeked > 0) {
            log.info("dgrab: {} batch(es) of epoch {} were taken before training started (next() outside fit); the "
                    + "epoch is served again from its first batch, as the ordering needs every batch trained", peeked,
                    strategy.epoch());
            cursor = 0;
            peeked = 0;
            pending.clear();
        }
    }

    private boolean watching() {
        return settings.model().isPresent();
    }

    /**
     * Refuses to go on when batches a synchronous training loop has already trained never reported a gradient:
     * the model being trained is not the watched one, or its listeners were replaced where dgrab cannot see it.
     * Evaluation passes and prefetching threads have no training loop on their stack and are let through.
     */
    private void checkTrained(int batch) {
        if (!watching() || observations.inFlight() > 0 || pending.isEmpty() || trained >= plan.trainedBefore(batch)
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
            observations.check();
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
            if (trained == 0 && observations.inFlight() == 0) {
                cursor = 0;
                peeked = 0;
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
        if (loop.isPresent() && !loop.get().startsWith("ParallelWrapper") && observations.inFlight() == 0) {
            throw SessionErrors.missingGradient(loop.get(), pending.isEmpty() ? trained : pending.firstBatch(),
                    strategy.epoch(), settings.model().get().getClass().getSimpleName(), settings.parallelWrapper());
        }
        observations.await(() -> finished, "wait for the last gradients of epoch " + strategy.epoch(), () ->
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
            if (loader == null) {
                return;
            }
            observations.check();
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
            } else if (s.batch() != trained + observations.inFlight()) {
                // Batches still in flight (on the observer thread) were matched already.
                pending.putBack(s);
                throw SessionErrors.outOfOrder(s.batch(), trained + observations.inFlight(), strategy.epoch());
            }
            epoch = strategy.epoch();
            observations.begin();
        }
        dispatch.observe(strategy, m, s, epoch, (done, failure) -> observed(s, done, failure));
    }

    /**
     * Ends one observation: counts the batch as trained (its memory can be freed soon), and ends the strategy's epoch
     * after its last batch.
     *
     * @param s       the batch observed
     * @param done    whether the batch's gradients reached the strategy
     * @param failure the observer thread's failure, or null (a failure on a training thread propagates there)
     */
    private void observed(ServedBatches.Served s, boolean done, IllegalStateException failure) {
        synchronized (lock) {
            observations.end();
            try {
                if (done) {
                    memory.retire(s.owned());
                    trained++;
                    if (trained == plan.batches() && observations.inFlight() == 0) {
                        strategy.endEpoch();
                        finished = true;
                    }
                } else if (failure != null) {
                    observations.fail(failure);
                }
            } catch (RuntimeException e) {
                if (!dispatch.offThread()) {
                    throw e;
                }
                observations.fail(new IllegalStateException("dgrab's observer thread failed to end epoch "
                        + strategy.epoch() + ", so the ordering cannot go on: " + e, e));
            } finally {
                lock.notifyAll();
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
            observations.awaitNone("save the ordering");
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
            observations.awaitNone("restore the ordering");
            SessionState.Checked c = SessionState.read(all, settings.granularity(), settings.workers(), plan.batches());
            strategy.restore(new ByteArrayInputStream(all, c.strategyOffset(), c.strategyLength()));
            startEpoch();
            cursor = c.position();
            trained = c.position();
            guard.restored();
        }
    }

    /** Releases the strategy. */
    void close() {
        dispatch.shutdown();
        synchronized (lock) {
            if (strategy != null) {
                strategy.close();
            }
            if (loader != null) {
                loader.close();
            }
        }
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
