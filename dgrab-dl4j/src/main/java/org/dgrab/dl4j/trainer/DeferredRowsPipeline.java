package org.dgrab.dl4j.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import org.dgrab.dl4j.internal.gradient.GradientSource;
import org.dgrab.dl4j.internal.gradient.WorkerStep;
import org.dgrab.dl4j.internal.model.ModelAdapter;

/**
 * Asynchronous last-layer units: the forward and backward pass and the capture of {@code h} run on the training
 * thread ({@link GradientSource#computeDeferred}); forming the per-example rows and observing them run on the
 * ordering thread, on each batch's own heap scratch, so the next worker can capture meanwhile. Every worker computes
 * on the trained model.
 *
 * <p>The workers' deferred work of one synchronous step goes to the ordering thread as one task at
 * {@link #endStep()}, in worker order: one hand-off (and at most one wake-up of the ordering thread) per step
 * instead of one per worker, which on a 2-core machine is what the training thread pays for most of the ordering.
 * The observations reach the strategy in the same order as with a task per worker, so orders are unchanged.
 */
final class DeferredRowsPipeline extends OffThreadPipeline {
    /**
     * Steps whose deferred work may be in flight at most: each holds its workers' heap scratch (h, logits, one
     * row), and the training thread waits only if the ordering thread falls this many steps behind.
     */
    static final int IN_FLIGHT = 2;

    private final ModelAdapter master;
    private final GradientSource source;
    private final Future<?>[] tasks = new Future<?>[IN_FLIGHT];
    /** The current step's deferred work, in worker order, not yet handed to the ordering thread. */
    private List<Runnable> pending = new ArrayList<>();
    private int next;

    /**
     * @param master the trained model
     * @param source its last-layer gradient source
     */
    DeferredRowsPipeline(ModelAdapter master, GradientSource source) {
        super(IN_FLIGHT);
        this.master = master;
        this.source = source;
    }

    @Override
    public void beginStep() {
        // Work of a step that failed before endStep is still observed, as it was with a task per worker.
        flush();
        source.beginStep();
    }

    @Override
    public double compute(WorkerStep step) {
        if (pending.isEmpty()) {
            // The scratch of the step IN_FLIGHT steps back is reused only after its task has run.
            thread.await(tasks[next]);
        }
        GradientSource.Deferred d = source.computeDeferred(step.on(master));
        if (d.emit() != GradientSource.Deferred.NOTHING) {
            pending.add(d.emit());
        }
        return d.score();
    }

    @Override
    public void endStep() {
        flush();
    }

    @Override
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Runnable> work = pending;
        pending = new ArrayList<>(work.size());
        tasks[next] = thread.submit(() -> {
            for (Runnable r : work) {
                r.run();
            }
        });
        next = (next + 1) % IN_FLIGHT;
    }

    @Override
    public ModelAdapter gradientOf(int worker) {
        return master;
    }
}
