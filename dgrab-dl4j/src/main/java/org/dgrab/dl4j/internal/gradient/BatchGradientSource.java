package org.dgrab.dl4j.internal.gradient;

import org.dgrab.dl4j.internal.model.ModelAdapter;

/**
 * {@code batch} granularity: one forward and backward pass over the step's examples; a unit's gradient is the
 * model's own mini-batch gradient (one unit per step is the usual layout). Zero extra compute.
 */
final class BatchGradientSource implements GradientSource {

    @Override
    public double compute(WorkerStep step) {
        if (step.wantsUnitGradients() && step.units() != 1) {
            throw new IllegalArgumentException("batch granularity orders one unit per step, got " + step.units());
        }
        ModelAdapter model = step.model();
        model.setBatch(step.data(), step.examples());
        double score = model.computeGradient();
        if (step.wantsUnitGradients()) {
            step.sink().accept(step.from(), model.gradientVector());
        }
        return score;
    }
}
