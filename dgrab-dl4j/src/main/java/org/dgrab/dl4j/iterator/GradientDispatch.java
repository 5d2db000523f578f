package org.dgrab.dl4j.iterator;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.dgrab.core.OrderingStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hands a trained batch's unit gradients to the strategy: at once on the training thread, or, with an observer
 * thread ({@link IteratorSettings#observerThread()}), as a copy observed later on the {@link ObserverThread}.
 * Either way the {@link Completion} hears exactly once whether the batch's gradients reached the strategy.
 *
 * <p>Call order: per model and batch {@link #onForwardPass} (example units), then {@link #observe}; {@link #clear()}
 * at every epoch start; {@link #shutdown()} when the iterator is closed. Thread-safe for different models.
 */
final class GradientDispatch {

    /** Hears how one batch's observation ended. */
    @FunctionalInterface
    interface Completion {
        /**
         * @param observed whether the batch's gradients reached the strategy
         * @param failure  the observer thread's failure, worded for the user, or null (a failure on the training
         *                 thread is thrown there instead, after this call)
         */
        void done(boolean observed, IllegalStateException failure);
    }

    private final UnitGradients unitGradients;
    /** Null: observe on the training threads. */
    private final ObserverThread observer;
    private final GradientCopies copies;

    /** @param settings validated settings */
    GradientDispatch(IteratorSettings settings) {
        this.unitGradients = new UnitGradients(settings);
        boolean offThread = settings.observerThread() && settings.ordering().kind().needsGradients();
        // Two pending observations per worker let every worker train its next batch while its last one is observed.
        this.observer = offThread ? new ObserverThread(2 * settings.workers()) : null;
        this.copies = offThread ? new GradientCopies() : null;
    }

    /** Forgets every model's output-layer capture (ParallelWrapper makes new replicas every epoch). */
    void clear() {
        unitGradients.clear();
    }

    /** @see UnitGradients#onForwardPass(Model, List) */
    void onForwardPass(Model m, List<INDArray> activations) {
        unitGradients.onForwardPass(m, activations);
    }

    /** @see UnitGradients#onForwardPass(Model, Map) */
    void onForwardPass(Model m, Map<String, INDArray> activations) {
        unitGradients.onForwardPass(m, activations);
    }

    /**
     * Observes a trained batch, on this thread or later on the observer thread.
     *
     * @param strategy the ordering
     * @param m        the model that trained the batch, its gradient still in place
     * @param s        the batch
     * @param epoch    the ordering's epoch, for messages
     * @param done     told how the observation ended
     */
    void observe(OrderingStrategy strategy, Model m, ServedBatches.Served s, int epoch, Completion done) {
        if (!strategy.needsGradients()) {
            done.done(true, null);
            return;
        }
        if (observer == null) {
            boolean observed = false;
            try {
                unitGradients.prepare(strategy, m, s.batch(), s.slices(), s.labels(), s.labelsMask(), null).run();
                observed = true;
            } finally {
                done.done(observed, null);
            }
            return;
        }
        try {
            observer.acquire();
        } catch (RuntimeException e) {
            done.done(false, null);
            throw e;
        }
        Runnable observation;
        try {
            observation = unitGradients.prepare(strategy, m, s.batch(), s.slices(), s.labels(), s.labelsMask(), copies);
        } catch (RuntimeException | Error e) {
            observer.cancel();
            done.done(false, null);
            throw e;
        }
        int batch = s.batch();
        observer.submit(observation, failure -> done.done(failure == null, failure == null ? null
                : new IllegalStateException("dgrab's observer thread failed on the gradient of batch " + batch
                + " of epoch " + epoch + ", so the ordering cannot go on: " + failure, failure)));
    }

    /** @return true if observations run on the observer thread */
    boolean offThread() {
        return observer != null;
    }

    /** Lets pending observations finish and ends the observer thread. */
    void shutdown() {
        if (observer != null) {
            observer.shutdown();
        }
    }
}
