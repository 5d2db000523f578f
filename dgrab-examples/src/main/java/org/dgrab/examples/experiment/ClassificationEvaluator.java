package org.dgrab.examples.experiment;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Classification metrics ({@link Evaluation}): the train loss is the network's mean score over the training set,
 * the test loss the mean cross-entropy and the test metric the accuracy over the test set.
 */
public final class ClassificationEvaluator implements Evaluator {
    private final DataSet train;
    private final DataSet test;

    /**
     * @param train training data with one-hot labels
     * @param test  test data with one-hot labels
     */
    public ClassificationEvaluator(DataSet train, DataSet test) {
        this.train = train;
        this.test = test;
    }

    @Override
    public Metrics evaluate(MultiLayerNetwork net) {
        double[] t = Evaluation.lossAndAccuracy(net, test);
        return new Metrics(Evaluation.loss(net, train), t[0], t[1]);
    }
}
