package org.dgrab.dl4j.trainer;

import java.util.concurrent.Future;

import org.dgrab.dl4j.internal.gradient.GradientSource;
import org.dgrab.dl4j.internal.gradient.UnitSink;
import org.dgrab.dl4j.internal.gradient.UnitTarget;
import org.dgrab.dl4j.internal.gradient.WorkerStep;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Asynchronous batch units with n > 1 workers, where handing each model-sized gradient to the ordering would
 * otherwise cost the training thread several passes over it per step. Worker 0 computes on the trained model (so
 * that listeners reading {@code model.gradient()} find one); workers 1..n-1 alternate between
 * {@value #LENDERS} replicas that share its parameter array; the ordering thread reads each gradient while the next
 * worker computes, and the workers' gradients are summed in place in the trained model's gradient array.
 *
 * <p>Two rules keep the ordering's reads safe: a replica computes again only after the ordering has read its last
 * gradient ({@link #compute}), and the sum writes into the trained model's gradient array only after the ordering
 * has read worker 0's gradient there ({@link #inPlaceSum()}, the one place that waits for it).
 */
final class LentReplicaPipeline extends OffThreadPipeline {
    /** Replicas lending gradients: one computes while the ordering reads the other's. */
    static final int LENDERS = 2;

    private final ModelAdapter master;
    private final GradientSource source;
    private final ModelAdapter[] lenders = new ModelAdapter[LENDERS];
    /** The ordering thread's last task reading each lender's gradient. */
    private final Future<?>[] lent = new Future<?>[LENDERS];
    private final ModelAdapter[] computedBy;
    /** The ordering thread's task reading worker 0's gradient, which lives in the trained model's gradient array. */
    private Future<?> masterRead;
    private int nextLender;

    /**
     * @param master  the trained model
     * @param source  the batch gradient source (stateless, shared by all models)
     * @param workers number of workers
     */
    LentReplicaPipeline(ModelAdapter master, GradientSource source, int workers) {
        // One task per lender and one for worker 0's gradient in the trained model.
        super(LENDERS + 1);
        this.master = master;
        this.source = source;
        for (int i = 0; i < LENDERS; i++) {
            lenders[i] = master.sharingReplica();
        }
        this.computedBy = new ModelAdapter[workers];
    }

    @Override
    public void beginStep() {
        source.beginStep();
    }

    @Override
    public double compute(WorkerStep step) {
        int w = step.worker();
        ModelAdapter m = master;
        int slot = -1;
        if (w > 0) {
            slot = nextLender;
            nextLender = (nextLender + 1) % LENDERS;
            thread.await(lent[slot]);
            m = lenders[slot];
            m.followCounts(master);
        }
        computedBy[w] = m;
        final int s = slot;
        // Built only for orderings that read gradients: a step without a sink fails here, before it computes.
        UnitSink sink = step.sink();
        return source.compute(step.on(m).to(UnitTarget.to((position, gradient) -> {
            Future<?> f = thread.submit(() -> sink.accept(position, gradient));
            if (s < 0) {
                masterRead = f;
            } else {
                lent[s] = f;
            }
        })));
    }

    @Override
    public ModelAdapter gradientOf(int worker) {
        return computedBy[worker];
    }

    @Override
    public INDArray inPlaceSum() {
        thread.await(masterRead);
        return master.gradientView();
    }
}
