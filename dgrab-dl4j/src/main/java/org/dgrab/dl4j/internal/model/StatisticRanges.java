package org.dgrab.dl4j.internal.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finds the ranges of a model's flattened gradient that hold running statistics rather than gradients (parameters
 * for which {@code Trainable.updaterDivideByMinibatch} is false), for {@link ModelAdapter#statisticRanges()}.
 * Stateless.
 */
final class StatisticRanges {
    private StatisticRanges() {
    }

    /**
     * @param layers the model's layers
     * @param all    the model's flattened parameters, of which every parameter array is a view
     * @return {@code {offset, length}} pairs into the flattened parameters (and so into the gradient view, which
     *         mirrors them), in increasing offset order; empty if no parameter is a statistic
     */
    static long[][] of(Layer[] layers, INDArray all) {
        List<long[]> out = new ArrayList<>();
        for (Layer layer : layers) {
            for (Map.Entry<String, INDArray> e : layer.paramTable(false).entrySet()) {
                if (!layer.updaterDivideByMinibatch(e.getKey())) {
                    // Parameter arrays are views of the flattened parameters, and the gradient view mirrors them.
                    out.add(new long[] {e.getValue().offset() - all.offset(), e.getValue().length()});
                }
            }
        }
        out.sort(Comparator.comparingLong(r -> r[0]));
        return out.toArray(new long[0][]);
    }
}
