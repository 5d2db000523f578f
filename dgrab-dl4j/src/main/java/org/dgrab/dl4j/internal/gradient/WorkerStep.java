package org.dgrab.dl4j.internal.gradient;

import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.internal.data.UnitLayout;
import org.dgrab.dl4j.internal.model.ModelAdapter;

/**
 * One worker's part of a synchronous step, as a {@link GradientSource} computes it: the units at positions
 * {@code [from, to)} of the worker's current order, on a model (replica), with the unit gradients going to a
 * {@link UnitTarget}.
 *
 * @param model  model (replica) to compute with
 * @param data   examples
 * @param layout units
 * @param worker worker id
 * @param order  the worker's current order of units (not copied; read during the computation)
 * @param from   first position
 * @param to     end position, exclusive
 * @param target where each unit's gradient goes: a sink, or {@link UnitTarget#NONE} when the ordering ignores
 *               gradients (then no per-unit work is done at all)
 */
public record WorkerStep(ModelAdapter model, ExampleStore data, UnitLayout layout, int worker, int[] order, int from,
                         int to, UnitTarget target) {
    /**
     * @throws IllegalArgumentException if a required part is null or {@code [from, to)} is not a non-empty range of
     *                                  the order
     */
    public WorkerStep {
        if (model == null || data == null || layout == null || order == null || target == null) {
            throw new IllegalArgumentException("a worker step needs a model, data, a unit layout, an order and a "
                    + "target for its unit gradients (UnitTarget.NONE when no ordering reads them)");
        }
        if (from < 0 || to <= from || to > order.length) {
            throw new IllegalArgumentException("positions [" + from + ", " + to + ") of worker " + worker
                    + " are not a non-empty range of its order of " + order.length + " units");
        }
    }

    /** @return number of units in the step */
    public int units() {
        return to - from;
    }

    /** @return indices of the step's examples, unit by unit in order */
    public int[] examples() {
        return layout.examples(worker, order, from, to);
    }

    /**
     * @param position a position in {@code [from, to)}
     * @return indices of the examples of the unit at that position
     */
    public int[] examplesAt(int position) {
        return layout.examples(worker, order[position]);
    }

    /** @return whether unit gradients are wanted (the target is a sink, not {@link UnitTarget#NONE}) */
    public boolean wantsUnitGradients() {
        return target instanceof UnitTarget.To;
    }

    /**
     * @return the sink the unit gradients go to
     * @throws IllegalStateException if the step feeds no ordering ({@link UnitTarget#NONE}); ask
     *                               {@link #wantsUnitGradients()} first
     */
    public UnitSink sink() {
        if (target instanceof UnitTarget.To t) {
            return t.sink();
        }
        throw new IllegalStateException("worker " + worker + "'s step at positions [" + from + ", " + to
                + ") feeds no ordering (UnitTarget.NONE), so it has no unit sink");
    }

    /**
     * @param other the model to compute with instead
     * @return this step on another model
     */
    public WorkerStep on(ModelAdapter other) {
        return new WorkerStep(other, data, layout, worker, order, from, to, target);
    }

    /**
     * @param other where the unit gradients go instead
     * @return this step with another target
     */
    public WorkerStep to(UnitTarget other) {
        return new WorkerStep(model, data, layout, worker, order, from, to, other);
    }
}
