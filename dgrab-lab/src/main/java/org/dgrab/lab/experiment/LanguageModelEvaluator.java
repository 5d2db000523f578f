package org.dgrab.lab.experiment;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Language-model metrics, computed explicitly from the network's softmax outputs: the train and test loss are the
 * mean per-token cross-entropy {@code -mean(log p(next token))} (natural log), the test metric is the perplexity
 * {@code exp(test loss)}.
 *
 * <p>Why not the network's score: DL4J's {@code RnnOutputLayer} sums the loss over the time steps and divides by
 * the number of sequences, not tokens, so {@code net.score()} is {@code bptt} times the per-token cross-entropy
 * (and would count regularisation too). The same factor is in the training gradient; see the {@code lm} command.
 *
 * <p>Every sequence starts from a zero hidden state, as in training (sequences are independent examples there,
 * since the orders change every epoch): the first tokens of a sequence are predicted from little context, so the
 * perplexity is higher than with a hidden state carried over the whole text.
 *
 * <p>Probabilities are clipped at {@code 1e-10} before the log, as DL4J's {@code LossMCXENT} does, so that a
 * probability that underflows to 0 gives a large finite loss.
 */
public final class LanguageModelEvaluator implements Evaluator {
    /** The clipping of {@code LossMCXENT}. */
    static final double CLIP_EPS = 1e-10;
    /** Most output values held at once ({@code chunk * V * bptt} floats, 64 MB), so large vocabularies fit. */
    private static final long OUTPUT_BUDGET = 1L << 24;
    /** Most sequences per forward pass for small vocabularies. */
    private static final int MAX_CHUNK = 512;

    private final int[] train;
    private final int trainTargets;
    private final int[] test;
    private final int testTargets;
    private final int bptt;

    /**
     * @param train        training token indices
     * @param trainTargets how many training tokens to predict: those of the sequences trained on,
     *                     {@code sequences * bptt}
     * @param test         test token indices
     * @param testTargets  how many test tokens to predict, at most {@code test.length - 1} (every token but the
     *                     first; the last sequence may be shorter than {@code bptt})
     * @param bptt         sequence length
     */
    public LanguageModelEvaluator(int[] train, int trainTargets, int[] test, int testTargets, int bptt) {
        if (trainTargets < 1 || trainTargets > train.length - 1 || testTargets < 1 || testTargets > test.length - 1) {
            throw new IllegalArgumentException("targets " + trainTargets + " and " + testTargets + " for texts of "
                    + train.length + " and " + test.length + " tokens");
        }
        this.train = train;
        this.trainTargets = trainTargets;
        this.test = test;
        this.testTargets = testTargets;
        this.bptt = bptt;
    }

    @Override
    public Metrics evaluate(MultiLayerNetwork net) {
        double trainLoss = meanCrossEntropy(net, train, trainTargets, bptt);
        double testLoss = meanCrossEntropy(net, test, testTargets, bptt);
        return new Metrics(trainLoss, testLoss, perplexity(testLoss));
    }

    /**
     * Perplexity from the mean per-token cross-entropy.
     *
     * @param meanCrossEntropy mean of {@code -ln p} over the predicted tokens
     * @return {@code exp(meanCrossEntropy)}; a model that gives every one of V words probability 1/V has
     *         perplexity V
     */
    public static double perplexity(double meanCrossEntropy) {
        return Math.exp(meanCrossEntropy);
    }

    /**
     * Mean per-token cross-entropy of a network on a token stream: token {@code i + 1} is predicted from tokens
     * {@code <= i} of its sequence, for {@code i < targets}; the stream is cut into sequences of {@code bptt}
     * inputs (the last one shorter if {@code targets} is not a multiple), each starting from a zero hidden state.
     *
     * @param net     a network taking {@code [N, 1, T]} word indices and giving softmax outputs {@code [N, V, T]}
     * @param ids     token indices
     * @param targets number of tokens to predict, {@code 1..ids.length - 1}
     * @param bptt    sequence length
     * @return {@code -sum(ln max(p, 1e-10)) / targets}
     */
    public static double meanCrossEntropy(MultiLayerNetwork net, int[] ids, int targets, int bptt) {
        long vocab = net.getOutputLayer().getParam("W").size(1);
        int chunk = (int) Math.max(1, Math.min(MAX_CHUNK, OUTPUT_BUDGET / (vocab * bptt)));
        int full = targets / bptt;
        double sum = 0;
        for (int s = 0; s < full; s += chunk) {
            int n = Math.min(chunk, full - s);
            sum += crossEntropySum(net, ids, s * bptt, n, bptt);
        }
        int tail = targets - full * bptt;
        if (tail > 0) {
            sum += crossEntropySum(net, ids, full * bptt, 1, tail);
        }
        return sum / targets;
    }

    /** Summed cross-entropy of {@code n} consecutive sequences of length {@code len} starting at token {@code from}. */
    private static double crossEntropySum(MultiLayerNetwork net, int[] ids, int from, int n, int len) {
        float[] f = new float[n * len];
        for (int i = 0; i < f.length; i++) {
            f[i] = ids[from + i];
        }
        INDArray out = net.output(Nd4j.create(f, new long[] {n, 1, len}, 'c'), false);
        return crossEntropySum(out, ids, from);
    }

    /**
     * Summed cross-entropy of softmax outputs against the next tokens of a stream.
     *
     * @param probs softmax outputs {@code [n, V, len]} of {@code n} consecutive sequences of length {@code len}
     * @param ids   token indices
     * @param from  index of the first input token of the first sequence; the label of input {@code from + k} is
     *              {@code ids[from + k + 1]}
     * @return {@code -sum(ln max(p, 1e-10))} over the {@code n * len} labels
     */
    public static double crossEntropySum(INDArray probs, int[] ids, int from) {
        if (probs.rank() != 3) {
            throw new IllegalArgumentException("expected outputs [n, V, len], got " + java.util.Arrays.toString(probs.shape()));
        }
        long n = probs.size(0);
        long vocab = probs.size(1);
        long len = probs.size(2);
        INDArray p = probs.dataType() == DataType.DOUBLE || probs.dataType() == DataType.FLOAT ? probs
                : probs.castTo(DataType.FLOAT);
        double sum = 0;
        int k = from;
        for (long b = 0; b < n; b++) {
            for (long t = 0; t < len; t++, k++) {
                int label = ids[k + 1];
                if (label < 0 || label >= vocab) {
                    throw new IllegalArgumentException("token index " + label + " outside the output's " + vocab
                            + " classes");
                }
                // One element per token: the probability of the true next word, no one-hot array needed.
                sum -= Math.log(Math.max(p.getDouble(b, label, t), CLIP_EPS));
            }
        }
        return sum;
    }
}
