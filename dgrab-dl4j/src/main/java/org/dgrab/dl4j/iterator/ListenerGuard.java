package org.dgrab.dl4j.iterator;

import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dgrab's gradient listener on the watched model: {@code setListeners} after building the ordered iterator
 * is a common habit and would otherwise stop the ordering silently. Attached once at construction, then checked
 * before every served batch.
 */
final class ListenerGuard {
    private static final Logger log = LoggerFactory.getLogger(ListenerGuard.class);

    private final IteratorSettings settings;
    private final GradientListener listener;
    private boolean warned;
    /** Whether the ordering's state was restored, or the warning about a model that trained before was given. */
    private boolean stateChecked;

    /**
     * @param settings validated settings (the watched model, if any, gets the listener now)
     * @param listener the session's listener
     */
    ListenerGuard(IteratorSettings settings, GradientListener listener) {
        this.settings = settings;
        this.listener = listener;
        settings.model().ifPresent(m -> {
            if (Models.replaceDgrabListener(m, listener)) {
                log.warn("dgrab: the {} was watched by another dgrab iterator; its listener is replaced by this "
                        + "iterator's, whose ordering starts afresh (to continue an ordering, keep using its iterator, "
                        + "or restore its checkpoint into this one with OrderingCheckpoint.restore)",
                        m.getClass().getSimpleName());
            }
        });
    }

    /**
     * Re-attaches the listener if the model lost it, warning once. Not with ParallelWrapper: its builder moves the
     * model's listeners to its workers, and worker 0 trains the model itself, so a listener added here would report
     * twice.
     */
    void ensureAttached() {
        if (settings.parallelWrapper() || settings.model().isEmpty()) {
            return;
        }
        Model m = settings.model().get();
        if (!Models.listeners(m).contains(listener)) {
            if (!warned) {
                log.warn("dgrab's gradient listener was removed from the {} (setListeners after building the ordered "
                        + "iterator); re-attached it, the ordering goes on", m.getClass().getSimpleName());
                warned = true;
            }
            Models.replaceDgrabListener(m, listener);
        }
    }

    /** Records that the ordering's state was restored from a checkpoint: the model's past training is accounted for. */
    void restored() {
        stateChecked = true;
    }

    /**
     * Warns once when the watched model has trained before while the ordering starts at epoch 0 without a restored
     * state: usually a resume that forgot to restore the ordering (DL4J's own {@code CheckpointListener} zips hold
     * none).
     *
     * @param epoch the ordering's epoch
     */
    void warnIfTrainedBefore(int epoch) {
        if (stateChecked) {
            return;
        }
        stateChecked = true;
        settings.model().ifPresent(m -> {
            int iterations = Models.iterationCount(m);
            if (iterations > 0 && epoch == 0) {
                log.warn("dgrab: the {} has trained {} iterations already, but this iterator's ordering starts at epoch "
                        + "0. To resume a run, restore the ordering saved with the model (OrderingCheckpoint.restore(file, "
                        + "iterator), or OrderingCheckpointListener's checkpoints) before fitting; to order a trained "
                        + "model afresh, ignore this.", m.getClass().getSimpleName(), iterations);
            }
        });
    }
}
