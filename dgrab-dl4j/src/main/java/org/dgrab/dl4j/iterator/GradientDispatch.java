package org.dgrab.dl4j.iterator;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.internal.gradient.OrderingThread;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hands a trained batch's unit gradients to the strategy, in one of two modes, each a subclass: at once on the
 * training thread ({@link OnTrainingThread}), or, with an observer thread ({@link IteratorSettings#observerThread()}),
 * as a copy observed later on dgrab's {@link OrderingThread} ({@link OnObserverThread}), the same thread type the
 * data-parallel trainer's asynchronous ordering runs on. Either way the {@link Completion} hears exactly once whether
 * the batch's gradients reached the strategy.
 *
 * <p>Call order: per model and batch {@link #onForwardPass} (example units), then {@link #observe}; {@link #clear()}
 * at every epoch start; {@link #shutdown()} when the iterator is closed. Thread-safe for different models.
 */
abstract sealed class GradientDispatch permits GradientDispatch.OnTrainingThread, GradientDispatch.OnObserverThread {

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

    final UnitGradients unitGradients;

    private GradientDispatch(IteratorSettings settings) {
        this.unitGradients = new UnitGradients(settings);
    }

    /**
     * @param settings validated settings
     * @return the dispatch the settings ask for
     */
    static GradientDispatch of(IteratorSettings settings) {
        return settings.observerThread() && settings.ordering().kind().needsGradients()
                ? new OnObserverThread(settings) : new OnTrainingThread(settings);
    }

    /** Forgets every model's output-layer capture (ParallelWrapper makes new replicas every epoch). */
    final void clear() {
        unitGradients.clear();
    }

    /** @see UnitGradients#onForwardPass(Model, List) */
    final void onForwardPass(Model m, List<INDArray> activations) {
        unitGradients.onForwardPass(m, activations);
    }

    /** @see UnitGradients#onForwardPass(Model, Map) */
    final void onForwardPass(Model m, Map<String, INDArray> activations) {
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
    final void observe(OrderingStrategy strategy, Model m, ServedBatches.Served s, int epoch, Completion done) {
        if (!strategy.needsGradients()) {
            done.done(true, null);
            return;
        }
        dispatch(strategy, m, s, epoch, done);
    }

    abstract void dispatch(OrderingStrategy strategy, Model m, ServedBatches.Served s, int epoch, Completion done);

    /** @return true if observations run on the observer thread */
    abstract boolean offThread();

    /** Lets pending observations finish and ends the observer thread, if any. */
    abstract void shutdown();

    /** Observes on the training thread that trained the batch. */
    static final class OnTrainingThread extends GradientDispatch {
        private OnTrainingThread(IteratorSettings settings) {
            super(settings);
        }

        @Override
        void dispatch(OrderingStrategy strategy, Model m, ServedBatches.Served s, int epoch, Completion done) {
            boolean observed = false;
            try {
                unitGradients.prepare(strategy, m, s.batch(), s.slices(), s.labels(), s.labelsMask(), null).run();
                observed = true;
            } finally {
                done.done(observed, null);
            }
        }

        @Override
        boolean offThread() {
            return false;
        }

        @Override
        void shutdown() {
        }
    }

    /**
     * Observes on dgrab's ordering thread, so that balancing (pair differences, the coordinator's dot products and
     * updates over gradient-long vectors) runs beside training instead of on the training threads. With
     * ParallelWrapper and averaging every step, every worker waits for the slowest one at each step, so ordering work
     * on any one training thread lengthens every step; on this thread it fills the pauses in which the workers wait
     * for averaging. Two pending observations per worker let every worker train its next batch while its last one is
     * observed; beyond that the training thread waits, which bounds the memory of gradient copies.
     */
    static final class OnObserverThread extends GradientDispatch {
        private final OrderingThread thread;
        private final GradientCopies copies = new GradientCopies();

        private OnObserverThread(IteratorSettings settings) {
            super(settings);
            this.thread = new OrderingThread("dgrab-observer", 2 * settings.workers());
        }

        @Override
        void dispatch(OrderingStrategy strategy, Model m, ServedBatches.Served s, int epoch, Completion done) {
            OrderingThread.Slot slot;
            try {
                slot = thread.reserve();
            } catch (RuntimeException e) {
                done.done(false, null);
                throw e;
            }
            Runnable observation;
            try {
                observation = unitGradients.prepare(strategy, m, s.batch(), s.slices(), s.labels(), s.labelsMask(),
                        copies);
            } catch (RuntimeException | Error e) {
                slot.cancel();
                done.done(false, null);
                throw e;
            }
            int batch = s.batch();
            slot.submit(() -> {
                // Caught here, not by the thread: the session hears every observation's end, failed or not.
                Throwable failure = null;
                try {
                    observation.run();
                } catch (Throwable t) {
                    failure = t;
                }
                done.done(failure == null, failure == null ? null
                        : new IllegalStateException("dgrab's observer thread failed on the gradient of batch " + batch
                        + " of epoch " + epoch + ", so the ordering cannot go on: " + failure, failure));
            });
        }

        @Override
        boolean offThread() {
            return true;
        }

        @Override
        void shutdown() {
            thread.shutdown();
        }
    }
}
