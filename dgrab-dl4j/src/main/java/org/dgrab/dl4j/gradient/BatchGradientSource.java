package org.dgrab.dl4j.gradient;

import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.data.UnitLayout;
import org.dgrab.dl4j.model.ModelAdapter;

/**
 * {@code batch} granularity: one forward and backward pass over the step's examples; a unit's gradient is the
 * model's own mini-batch gradient (one unit per step is the usual layout). Zero extra compute.
 */
public final class BatchGradientSource implements GradientSource {

    @Override
    public double compute(ModelAdapter model, ExampleStore data, UnitLayout layout, int worker, int[] order, int from,
                          int to, UnitSink sink) {
        if (sink != null && to - from != 1) {
            throw new IllegalArgumentException("batch granularity orders one unit per step, got " + (to - from));
        }
        model.setBatch(data, layout.examples(worker, order, from, to));
        double score = model.computeGradient();
        if (sink != null) {
            sink.accept(from, model.gradientView());
        }
        return score;
    }
}
