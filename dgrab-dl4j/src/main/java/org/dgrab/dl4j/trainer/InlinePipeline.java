package org.dgrab.dl4j.trainer;

import org.dgrab.dl4j.internal.gradient.GradientSource;
import org.dgrab.dl4j.internal.gradient.WorkerStep;
import org.dgrab.dl4j.internal.model.ModelAdapter;

/**
 * The ordering reads each unit gradient on the thread that computed it, before {@code compute} returns. Serves
 * sequential training (every worker computes on the trained model, one after the other) and threaded training
 * (one replica and gradient source per worker, started from the trained model's parameters), and orderings that
 * ignore gradients (steps with {@code UnitTarget.NONE}).
 */
final class InlinePipeline implements OrderingPipeline {
    private final ModelAdapter master;
    private final ModelAdapter[] models;
    private final GradientSource[] sources;

    /**
     * @param master  the trained model
     * @param models  per worker the model it computes on: the trained model itself, or a replica of its own
     * @param sources per worker its gradient source (shared by workers that share a model)
     */
    InlinePipeline(ModelAdapter master, ModelAdapter[] models, GradientSource[] sources) {
        this.master = master;
        this.models = models.clone();
        this.sources = sources.clone();
    }

    @Override
    public void beginStep() {
        for (int w = 0; w < sources.length; w++) {
            if (w == 0 || sources[w] != sources[0]) {
                sources[w].beginStep();
            }
        }
    }

    @Override
    public double compute(WorkerStep step) {
        int w = step.worker();
        if (models[w] != master) {
            // A replica starts every step from the trained model's parameters.
            models[w].params().assign(master.params());
        }
        return sources[w].compute(step.on(models[w]));
    }

    @Override
    public ModelAdapter gradientOf(int worker) {
        return models[worker];
    }
}
