package org.dgrab.dl4j.iterator;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J listener through which a model (or each ParallelWrapper replica) reports the forward passes and
 * gradients of the batches it trains to an {@link OrderingSession}. It does nothing else: DL4J calls it after the
 * backward pass and before the updater, on the thread that trains.
 */
final class GradientListener extends BaseTrainingListener {
    private final OrderingSession session;

    GradientListener(OrderingSession session) {
        this.session = session;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        session.onForwardPass(model, activations);
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        session.onForwardPass(model, activations);
    }

    @Override
    public void onGradientCalculation(Model model) {
        session.onGradient(model);
    }

    @Override
    public String toString() {
        return "dgrab GradientListener";
    }
}
