package org.dgrab.dl4j.iterator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J listener through which a model (or each ParallelWrapper replica) reports the forward passes and
 * gradients of the batches it trains to an {@link OrderingSession}. It does nothing else: DL4J calls it after the
 * backward pass and before the updater, on the thread that trains. It counts the time the training threads spend
 * in it, which is dgrab's whole cost on those threads.
 */
final class GradientListener extends BaseTrainingListener {
    private final OrderingSession session;
    private final LongAdder nanos = new LongAdder();

    GradientListener(OrderingSession session) {
        this.session = session;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        long t0 = System.nanoTime();
        try {
            session.onForwardPass(model, activations);
        } finally {
            nanos.add(System.nanoTime() - t0);
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        long t0 = System.nanoTime();
        try {
            session.onForwardPass(model, activations);
        } finally {
            nanos.add(System.nanoTime() - t0);
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        long t0 = System.nanoTime();
        try {
            session.onGradient(model);
        } finally {
            nanos.add(System.nanoTime() - t0);
        }
    }

    /** @return seconds spent in this listener so far, summed over the threads that called it */
    double seconds() {
        return nanos.sum() / 1e9;
    }

    @Override
    public String toString() {
        return "dgrab GradientListener";
    }
}
