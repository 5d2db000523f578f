package org.dgrab.dl4j.trainer;

import java.util.concurrent.Future;

import org.dgrab.dl4j.internal.gradient.GradientSource;
import org.dgrab.dl4j.internal.gradient.UnitSink;
import org.dgrab.dl4j.internal.gradient.WorkerStep;
import org.dgrab.dl4j.internal.model.ModelAdapter;

/**
 * Asynchronous last-layer units: the forward and backward pass and the capture of {@code h} and the logits run on
 * the training thread ({@link GradientSource#computeDeferred}); forming the per-example rows and observing them run
 * as a task on the ordering thread, on that batch's own heap scratch, so the next worker can capture meanwhile.
 * Every worker computes on the trained model.
 */
final class DeferredRowsPipeline extends OffThreadPipeline {
    /**
     * Deferred tasks in flight at most: each holds one worker-step's heap scratch (h, logits, rows), and the
     * training thread waits only if the ordering thread falls this many worker steps behind.
     */
    static final int IN_FLIGHT = 4;

    private final ModelAdapter master;
    private final GradientSource source;
    private final UnitSink[] sinks;
    private final Future<?>[] tasks = new Future<?>[IN_FLIGHT];
    private int next;

    /**
     * @param master the trained model
     * @param source its last-layer gradient source
     * @param sinks  per worker its sink
     */
    DeferredRowsPipeline(ModelAdapter master, GradientSource source, UnitSink[] sinks) {
        super(IN_FLIGHT);
        this.master = master;
        this.source = source;
        this.sinks = sinks.clone();
    }

    @Override
    public void beginStep() {
        source.beginStep();
    }

    @Override
    public double compute(WorkerStep step) {
        int k = next;
        next = (next + 1) % IN_FLIGHT;
        // The slot's scratch is reused only after its previous task has run.
        thread.await(tasks[k]);
        GradientSource.Deferred d = source.computeDeferred(step.on(master).to(sinks[step.worker()]));
        tasks[k] = thread.submit(d.emit());
        return d.score();
    }

    @Override
    public ModelAdapter gradientOf(int worker) {
        return master;
    }
}
