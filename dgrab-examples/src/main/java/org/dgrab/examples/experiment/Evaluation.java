package org.dgrab.examples.experiment;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Loss and accuracy of a network over a whole data set, computed in chunks so that large sets fit in memory.
 */
public final class Evaluation {
    private static final int CHUNK = 1000;

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
