package org.dgrab.examples.experiment;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Loss and accuracy of a network over a whole data set, computed in chunks so that large sets fit in memory.
 */
public final class Evaluation {
    private static final int CHUNK = 1000;
    /** LossMCXENT's default clipping of probabilities before the log. */
    private static final double CLIP_EPS = 1e-10;

    private Evaluation() {
    }

    /**
     * Mean loss (the network's score, regularisation included) over all examples.
     *
     * @param net  network
     * @param data data
     * @return mean loss
     */
    public static double loss(MultiLayerNetwork net, DataSet data) {
        int n = data.numExamples();
        double sum = 0;
        for (int s = 0; s < n; s += CHUNK) {
            int e = Math.min(n, s + CHUNK);
            DataSet part = slice(data, s, e);
            sum += net.score(part, false) * (e - s);
        }
        return sum / n;
    }

    /**
     * Mean loss and accuracy from one forward pass per chunk, for networks whose output layer is softmax with
     * multi-class cross-entropy (both models of the examples); others get {@link #loss} and {@link #accuracy}, two
     * passes. The loss is {@code -mean(sum(labels * log(max(p, 1e-10))))}, as DL4J's {@code LossMCXENT} computes it,
     * without regularisation terms (the examples use none).
     *
     * @param net  network
     * @param data data with one-hot labels
     * @return {@code {loss, accuracy}}
     */
    public static double[] lossAndAccuracy(MultiLayerNetwork net, DataSet data) {
        if (!softmaxCrossEntropy(net)) {
            return new double[] {loss(net, data), accuracy(net, data)};
        }
        int n = data.numExamples();
        double sum = 0;
        long correct = 0;
        for (int s = 0; s < n; s += CHUNK) {
            int e = Math.min(n, s + CHUNK);
            DataSet part = slice(data, s, e);
            INDArray out = net.output(part.getFeatures(), false);
            INDArray labels = part.getLabels();
            // sum over classes of y * log(p), clipped like LossMCXENT so that p = 0 gives a large finite loss.
            INDArray logp = Transforms.log(Transforms.max(out.castTo(DataType.DOUBLE), CLIP_EPS, false), false);
            sum -= logp.muli(labels.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
            int[] p = out.argMax(1).toIntVector();
            int[] y = labels.argMax(1).toIntVector();
            for (int i = 0; i < p.length; i++) {
                if (p[i] == y[i]) {
                    correct++;
                }
            }
        }
        return new double[] {sum / n, (double) correct / n};
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
            if (layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer) {
                org.deeplearning4j.nn.conf.layers.BaseLayer b =
                        (org.deeplearning4j.nn.conf.layers.BaseLayer) layer.conf().getLayer();
                if (!b.getRegularization().isEmpty() || !b.getRegularizationBias().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Classification accuracy (argmax of outputs against argmax of one-hot labels).
     *
     * @param net  network
     * @param data data
     * @return fraction correct
     */
    public static double accuracy(MultiLayerNetwork net, DataSet data) {
        int n = data.numExamples();
        long correct = 0;
        for (int s = 0; s < n; s += CHUNK) {
            int e = Math.min(n, s + CHUNK);
            DataSet part = slice(data, s, e);
            INDArray out = net.output(part.getFeatures(), false);
            int[] p = out.argMax(1).toIntVector();
            int[] y = part.getLabels().argMax(1).toIntVector();
            for (int i = 0; i < p.length; i++) {
                if (p[i] == y[i]) {
                    correct++;
                }
            }
        }
        return (double) correct / n;
    }

    private static DataSet slice(DataSet d, int from, int to) {
        if (from == 0 && to == d.numExamples()) {
            return d;
        }
        INDArray f = d.getFeatures().get(NDArrayIndex.interval(from, to));
        INDArray l = d.getLabels().get(NDArrayIndex.interval(from, to));
        INDArray fm = d.getFeaturesMaskArray() == null ? null : d.getFeaturesMaskArray().get(NDArrayIndex.interval(from, to));
        INDArray lm = d.getLabelsMaskArray() == null ? null : d.getLabelsMaskArray().get(NDArrayIndex.interval(from, to));
        return new DataSet(f, l, fm, lm);
    }
}
