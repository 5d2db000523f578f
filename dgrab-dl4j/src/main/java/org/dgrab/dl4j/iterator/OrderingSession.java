package org.dgrab.dl4j.iterator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.NoSuchElementException;
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
    private final GradientDispatch dispatch;
    private final WrapperReplicas replicas = new WrapperReplicas();
    private final Observations observations;
    private final ListenerGuard guard;
    private final ServedMemory memory;

    private BatchLoader loader;
    private SessionLayout layout;
    private BatchPlan plan;
    private OrderingStrategy strategy;
    /** Served, trained and pending batches of the epoch, with the checks on them. */
    private EpochProgress progress;
    private int[][] orders;

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
        loader = BatchLoader.of(s, l);
        layout = l;
        plan = l.plan();
        progress = new EpochProgress(settings, plan);
        strategy = created;
        startEpoch();
    }

    private void startEpoch() {
        loader.restart();
        orders = new int[settings.workers()][];
        for (int w = 0; w < orders.length; w++) {
            orders[w] = strategy.order(w);
        }
        progress.start();
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
            return progress.hasNext();
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
            if (progress.resetRequested()) {
                awaitEpochEnd();
                startEpoch();
            }
            if (progress.cursor() >= plan.batches()) {
                throw new NoSuchElementException("epoch " + strategy.epoch() + " has only " + plan.batches()
                        + " batches; call reset() for the next epoch");
            }
            guard.ensureAttached();
            progress.servePeekedAgain(observations.inFlight(), strategy.epoch());
            guard.warnIfTrainedBefore(strategy.epoch());
            progress.checkTrained(observations.inFlight(), strategy.epoch());
            k = progress.cursor();
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
                progress.pending().add(new ServedBatches.Served(k, plan.slices(k), factory.key(batch), factory.labels(batch),
                        factory.labelsMask(batch), freeable ? ServedMemory.owned(fresh, factory.arrays(batch)) : null));
            }
            progress.served();
            memory.served();
        }
        return batch;
    }

    private boolean watching() {
        return settings.model().isPresent();
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
            if (progress.finished()) {
                if (replicas.sharedGradients()) {
                    throw SessionErrors.secondSharedGradientsFit();
                }
                log.debug("epoch {} ordered by {}", strategy.epoch(), settings.ordering());
                startEpoch();
                return;
            }
            if (!watching()) {
                if (progress.allServed()) {
                    strategy.endEpoch();
                    startEpoch();
                } else {
                    progress.rewind();
                }
                return;
            }
            if (progress.trained() == 0 && observations.inFlight() == 0) {
                progress.rewind();
                return;
            }
            if (progress.allServed()) {
                progress.requestReset();
                return;
            }
            throw new IllegalStateException("reset() after training on " + progress.trained() + " of " + plan.batches()
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
        if (progress.finished()) {
            return;
        }
        progress.checkLastTrained(observations.inFlight(), strategy.epoch());
        observations.await(progress::finished, "wait for the last gradients of epoch " + strategy.epoch(), () ->
                SessionErrors.epochNotTrained(plan.batches() - progress.trained(), strategy.epoch(),
                        settings.ordering().signTimeout()));
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
            s = progress.pending().match(Models.input(m));
            if (s == null) {
                return;
            }
            int worker = s.slices()[0].worker();
            if (settings.parallelWrapper()) {
                int seen = replicas.trained(m, worker);
                if (seen >= 0) {
                    progress.pending().putBack(s);
                    throw SessionErrors.replicaOfTwoWorkers(seen, worker, settings.workers(), s.batch());
                }
            } else if (s.batch() != progress.trained() + observations.inFlight()) {
                // Batches still in flight (on the observer thread) were matched already.
                progress.pending().putBack(s);
                throw SessionErrors.outOfOrder(s.batch(), progress.trained() + observations.inFlight(), strategy.epoch());
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
                    if (progress.trainedOne() && observations.inFlight() == 0) {
                        strategy.endEpoch();
                        progress.finish();
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
            SessionState.write(out, settings.granularity(), settings.workers(), plan.batches(), progress.checkpointPosition(),
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
            progress.restoredAt(c.position());
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
