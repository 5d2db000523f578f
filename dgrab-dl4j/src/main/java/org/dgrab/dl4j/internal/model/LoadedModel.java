package org.dgrab.dl4j.internal.model;

import java.io.IOException;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model read from a checkpoint by {@link ModelAdapter#read} and checked against the model it will be loaded into,
 * not yet applied: a checkpoint reader checks everything else it holds (ordering state, position) first and then
 * applies all of it, so a checkpoint that fails any check changes nothing.
 */
public final class LoadedModel {
    private final Runnable apply;

    private LoadedModel(Runnable apply) {
        this.apply = apply;
    }

    /**
     * @param target the adapter of the model to load into
     * @param loaded the model read from the checkpoint, of the target's type
     * @return the checked model
     * @throws IOException if its configuration (apart from the iteration and epoch counts), parameter count or
     *                     updater state differs from the target's
     */
    static LoadedModel check(ModelAdapter target, Model loaded) throws IOException {
        String diff = ConfigurationJson.firstDifference(target.configurationJson(target.model()),
                target.configurationJson(loaded));
        if (diff != null) {
            throw new IOException("checkpoint model's configuration differs from this " + target.typeName()
                    + "'s at " + diff);
        }
        if (loaded.params().length() != target.params().length()) {
            throw new IOException("checkpoint model has " + loaded.params().length() + " parameters, this model has "
                    + target.params().length());
        }
        // A zip without updater state gives a fresh updater, whose state (zeros) replaces this model's.
        INDArray state = target.updaterState(loaded, true);
        INDArray own = state == null ? null : target.updaterState(target.model(), true);
        if (state != null && (own == null || own.length() != state.length())) {
            throw new IOException("checkpoint updater state has " + state.length() + " values, this model's has "
                    + (own == null ? 0 : own.length()));
        }
        int iteration = BaseOptimizer.getIterationCount(loaded);
        int epoch = BaseOptimizer.getEpochCount(loaded);
        return new LoadedModel(() -> {
            target.params().assign(loaded.params());
            if (state != null) {
                own.assign(state);
            }
            target.setCounts(iteration, epoch);
        });
    }

    /** Copies the parameters, updater state and counts into the model (cannot fail: all was checked). */
    public void apply() {
        apply.run();
    }
}
