package org.dgrab.lab.experiment;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Classification metrics: the train loss is the network's mean score over the training set, the test loss the mean
 * cross-entropy and the test metric the accuracy (DL4J's {@link Evaluation}) over the test set. Every pass goes
 * through the data in chunks ({@link ViewIterator}), so that large sets fit in memory; or, built with
 * {@link #ClassificationEvaluator(DataSetIterator, DataSetIterator)}, through iterators that read the data on every
 * pass (image files that are not held in memory).
 */
public final class ClassificationEvaluator implements Evaluator {
    private static final int CHUNK = 1000;
    /** LossMCXENT's default clipping of probabilities before the log. */
    private static final double CLIP_EPS = 1e-10;

    private final DataSetIterator train;
    private final DataSetIterator test;

    /**
     * @param train training data with one-hot labels
     * @param test  test data with one-hot labels
     */
    public ClassificationEvaluator(DataSet train, DataSet test) {
        this(new ViewIterator(train, CHUNK), new ViewIterator(test, CHUNK));
    }

    /**
     * An evaluator that reads the data anew on every evaluation, e.g. from image files (without augmentation).
     *
     * @param train training data with one-hot labels; reset before every pass, so it must support {@code reset()}
     * @param test  test data with one-hot labels; likewise
     */
    public ClassificationEvaluator(DataSetIterator train, DataSetIterator test) {
        this.train = train;
        this.test = test;
    }

    @Override
    public Metrics evaluate(MultiLayerNetwork net) {
        double[] t = lossAndAccuracy(net, test);
        return new Metrics(loss(net, train), t[0], t[1]);
    }

    /**
     * Mean loss (the network's score, regularisation included) over all examples.
     *
     * @param net  network
     * @param data data
     * @return mean loss
     */
    public static double loss(MultiLayerNetwork net, DataSet data) {
        return loss(net, new ViewIterator(data, CHUNK));
    }

    /**
     * Mean loss (the network's score, regularisation included) over all examples of an iterator.
     *
     * @param net  network
     * @param data data; reset first
     * @return mean loss
     */
    public static double loss(MultiLayerNetwork net, DataSetIterator data) {
        double sum = 0;
        long n = 0;
        data.reset();
        while (data.hasNext()) {
            DataSet part = data.next();
            sum += net.score(part, false) * part.numExamples();
            n += part.numExamples();
        }
        return sum / n;
    }

    /**
     * Classification accuracy (argmax of outputs against argmax of one-hot labels), by DL4J's {@link Evaluation}.
     *
     * @param net  network
     * @param data data
     * @return fraction correct
     */
    public static double accuracy(MultiLayerNetwork net, DataSet data) {
        Evaluation e = net.evaluate(new ViewIterator(data, CHUNK));
        return e.accuracy();
    }

    /**
     * Mean loss and accuracy from one forward pass per chunk, for networks whose output layer is softmax with
     * multi-class cross-entropy (every classifier of the lab); others get {@link #loss} and {@link #accuracy},
     * two passes. DL4J offers the loss only as a second pass ({@code score}), so the one-pass loss is computed here:
     * {@code -mean(sum(labels * log(max(p, 1e-10))))}, as DL4J's {@code LossMCXENT} computes it, without
     * regularisation terms (the lab uses none).
     *
     * @param net  network
     * @param data data with one-hot labels
     * @return {@code {loss, accuracy}}
     */
    public static double[] lossAndAccuracy(MultiLayerNetwork net, DataSet data) {
        return lossAndAccuracy(net, new ViewIterator(data, CHUNK));
    }

    /**
     * {@link #lossAndAccuracy(MultiLayerNetwork, DataSet)} over an iterator.
     *
     * @param net  network
     * @param data data with one-hot labels; reset first (and between the two passes of a non-softmax network)
     * @return {@code {loss, accuracy}}
     */
    public static double[] lossAndAccuracy(MultiLayerNetwork net, DataSetIterator data) {
        if (!softmaxCrossEntropy(net)) {
            double loss = loss(net, data);
            data.reset();
            return new double[] {loss, net.evaluate(data).accuracy()};
        }
        double sum = 0;
        long n = 0;
        Evaluation accuracy = new Evaluation();
        data.reset();
        while (data.hasNext()) {
            DataSet part = data.next();
            n += part.numExamples();
            INDArray out = net.output(part.getFeatures(), false);
            INDArray labels = part.getLabels();
            // sum over classes of y * log(p), clipped like LossMCXENT so that p = 0 gives a large finite loss.
            INDArray logp = Transforms.log(Transforms.max(out.castTo(DataType.DOUBLE), CLIP_EPS, false), false);
            sum -= logp.muli(labels.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
            accuracy.eval(labels, out);
        }
        return new double[] {sum / n, accuracy.accuracy()};
    }

    private static boolean softmaxCrossEntropy(MultiLayerNetwork net) {
        if (!(net.getOutputLayer().conf().getLayer() instanceof BaseOutputLayer)) {
            return false;
        }
        BaseOutputLayer l = (BaseOutputLayer) net.getOutputLayer().conf().getLayer();
        return l.getLossFn() instanceof LossMCXENT && ((LossMCXENT) l.getLossFn()).getWeights() == null
                && l.getActivationFn() instanceof ActivationSoftmax && !hasRegularisation(net);
    }

    private static boolean hasRegularisation(MultiLayerNetwork net) {
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer) {
                BaseLayer b = (BaseLayer) layer.conf().getLayer();
                if (!b.getRegularization().isEmpty() || !b.getRegularizationBias().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }
}
