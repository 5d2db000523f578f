package org.dgrab.dl4j.trainer;

import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.data.UnitLayout;

/**
 * Which units each worker computes at each synchronous step: step {@code s} covers positions
 * {@code [s * unitsPerStep, (s + 1) * unitsPerStep)} of every worker's order, cut at the worker's number of units;
 * an epoch has as many steps as the largest shard needs, so workers with smaller shards sit out the last steps.
 *
 * @param layout        the units of every worker
 * @param unitsPerStep  units per worker and step
 * @param stepsPerEpoch synchronous steps per epoch
 */
record StepPlan(UnitLayout layout, int unitsPerStep, int stepsPerEpoch) {

    /**
     * @param granularity what a unit is
     * @param batchSize   examples per worker and step
     * @param microbatch  examples per unit for {@link Granularity#EXAMPLE_EXACT}
     * @return examples per unit
     * @throws IllegalArgumentException if the batch size is not a multiple of it
     */
    static int unitSize(Granularity granularity, int batchSize, int microbatch) {
        int unitSize;
        switch (granularity) {
            case BATCH:
                unitSize = batchSize;
                break;
            case EXAMPLE_EXACT:
                unitSize = microbatch;
                break;
            default:
                unitSize = 1;
        }
        if (batchSize % unitSize != 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be a multiple of the micro-batch size " + unitSize);
        }
        return unitSize;
    }

    /**
     * @param layout       the units of every worker
     * @param unitsPerStep units per worker and step, {@code >= 1}
     * @return the plan
     */
    static StepPlan of(UnitLayout layout, int unitsPerStep) {
        int steps = 0;
        for (int w = 0; w < layout.workers(); w++) {
            steps = Math.max(steps, (layout.units(w) + unitsPerStep - 1) / unitsPerStep);
        }
        return new StepPlan(layout, unitsPerStep, steps);
    }

    /**
     * @param position a step of the epoch
     * @return the first position of every worker's order at that step
     */
    int from(int position) {
        return position * unitsPerStep;
    }

    /**
     * @param worker   a worker
     * @param position a step of the epoch
     * @return the end (exclusive) of the worker's positions at that step; {@code <= from(position)} if it has none
     */
    int to(int worker, int position) {
        return Math.min(from(position) + unitsPerStep, layout.units(worker));
    }

    /**
     * @param worker   a worker
     * @param position a step of the epoch
     * @return whether the worker has units at that step
     */
    boolean active(int worker, int position) {
        return from(position) < to(worker, position);
    }
}
