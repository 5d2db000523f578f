package org.dgrab.dl4j.internal.gradient;

import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code example-exact} granularity: one forward and backward pass per unit (an example, or a fixed micro-batch);
 * each unit's gradient is reported, and their sum becomes the step's gradient, so the update equals the
 * whole-batch update (up to floating-point summation order). Costs one backward pass per unit; when the ordering
 * ignores gradients the step is one ordinary pass.
 */
final class ExactGradientSource implements GradientSource {
    private INDArray sum;

    @Override
    public double compute(WorkerStep step) {
        ModelAdapter model = step.model();
        if (step.units() == 1 || !step.wantsUnitGradients()) {
            // One unit is the whole step, or nobody wants per-unit gradients (orders that ignore gradients must not
            // pay for them): one pass over the step's examples gives the same summed gradient.
            model.setBatch(step.data(), step.examples());
            double score = model.computeGradient();
            if (step.wantsUnitGradients()) {
                step.sink().accept(step.from(), model.gradientVector());
            }
            return score;
        }
        UnitSink sink = step.sink();
        double weighted = 0;
        int examples = 0;
        INDArray flat = null;
        for (int p = step.from(); p < step.to(); p++) {
            int[] ex = step.examplesAt(p);
            model.setBatch(step.data(), ex);
            double score = model.computeGradient();
            weighted += score * ex.length;
            examples += ex.length;
            // The gradient array exists only after the first backward pass, so the sum is sized here.
            flat = model.gradientVector();
            sink.accept(p, flat);
            if (p == step.from()) {
                if (sum == null || sum.length() != flat.length() || sum.dataType() != flat.dataType()) {
                    sum = Nd4j.create(flat.dataType(), flat.length());
                }
                sum.assign(flat);
            } else {
                sum.addi(flat);
            }
        }
        flat.assign(sum);
        return weighted / examples;
    }
}
