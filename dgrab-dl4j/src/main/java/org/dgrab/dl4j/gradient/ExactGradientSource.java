package org.dgrab.dl4j.gradient;

import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.data.UnitLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code example-exact} granularity: one forward and backward pass per unit (an example, or a fixed micro-batch);
 * each unit's gradient is reported, and their sum becomes the step's gradient, so the update equals the
 * whole-batch update (up to floating-point summation order). Costs one backward pass per unit; when the ordering
 * ignores gradients the step is one ordinary pass.
 */
public final class ExactGradientSource implements GradientSource {
    private INDArray sum;

    @Override
    public double compute(ModelAdapter model, ExampleStore data, UnitLayout layout, int worker, int[] order, int from,
                          int to, UnitSink sink) {
        if (to - from == 1 || sink == null) {
            // One unit is the whole step, or nobody wants per-unit gradients (orders that ignore gradients must not
            // pay for them): one pass over the step's examples gives the same summed gradient.
            model.setBatch(data.batch(layout.examples(worker, order, from, to)));
            double score = model.computeGradient();
            if (sink != null) {
                sink.accept(from, model.gradientView());
            }
            return score;
        }
        INDArray flat = null;
        double weighted = 0;
        int examples = 0;
        for (int p = from; p < to; p++) {
            int[] ex = layout.examples(worker, order[p]);
            model.setBatch(data.batch(ex));
            double score = model.computeGradient();
            weighted += score * ex.length;
            examples += ex.length;
            if (sink != null) {
                sink.accept(p, model.gradientView());
            }
            if (flat == null) {
                // Read the view only after a pass: DL4J allocates a network's gradient array lazily, in its first
                // gradient computation, so a fresh network has none before.
                INDArray view = model.gradientView();
                if (sum == null || sum.length() != view.length() || sum.dataType() != view.dataType()) {
                    sum = Nd4j.create(view.dataType(), view.length());
                }
                flat = view.reshape(view.length());
                sum.assign(flat);
            } else {
                sum.addi(flat);
            }
        }
        flat.assign(sum);
        return weighted / examples;
    }
}
