package org.dgrab.lab.experiment;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What a {@link TrainingExperiment} measures after every epoch: the training loss, the test loss and one test
 * metric (accuracy for classification, perplexity for language models). An evaluator holds its own data, so the
 * experiment's run loop does not need to know what the task is.
 */
@FunctionalInterface
public interface Evaluator {

    /**
     * The measurements of one model state.
     *
     * @param trainLoss  loss over the training set
     * @param testLoss   loss over the test set
     * @param testMetric the task's test metric
     */
    record Metrics(double trainLoss, double testLoss, double testMetric) {
    }

    /**
     * Measures a network; must not change it (inference only).
     *
     * @param net the network
     * @return its metrics
     */
    Metrics evaluate(MultiLayerNetwork net);
}
