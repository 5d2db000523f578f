package org.dgrab.dl4j.internal.gradient;

import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.internal.data.UnitLayout;
import org.dgrab.dl4j.internal.model.ModelAdapter;

/**
 * One worker's part of a synchronous step, as a {@link GradientSource} computes it: the units at positions
 * {@code [from, to)} of the worker's current order, on a model (replica), with the unit gradients going to a sink.
 *
 * @param model  model (replica) to compute with
 * @param data   examples
 * @param layout units
 * @param worker worker id
 * @param order  the worker's current order of units (not copied; read during the computation)
 * @param from   first position
 * @param to     end position, exclusive
 * @param sink   receives each unit's gradient, or null when the ordering ignores gradients (then no per-unit work is
 *               done at all)
 */
public record WorkerStep(ModelAdapter model, ExampleStore data, UnitLayout layout, int worker, int[] order, int from,
                         int to, UnitSink sink) {
    /**
     * @throws IllegalArgumentException if a required part is null or {@code [from, to)} is not a non-empty range of
     *                                  the order
     */
    public WorkerStep {
        if (model == null || data == null || layout == null || order == null) {
            throw new IllegalArgumentException("a worker step needs a model, data, a unit layout and an order");
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

    /** @return whether unit gradients are wanted ({@link #sink()} is not null) */
    public boolean wantsUnitGradients() {
        return sink != null;
    }

    /**
     * @param other the model to compute with instead
     * @return this step on another model
     */
    public WorkerStep on(ModelAdapter other) {
        return new WorkerStep(other, data, layout, worker, order, from, to, sink);
    }

    /**
     * @param other the sink to send unit gradients to instead, or null
     * @return this step with another sink
     */
    public WorkerStep to(UnitSink other) {
        return new WorkerStep(model, data, layout, worker, order, from, to, other);
    }
}
