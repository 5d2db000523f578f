package org.dgrab.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.lab.data.WikiText;
import org.dgrab.lab.models.Models;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** Per-token cross-entropy and perplexity of {@link LanguageModelEvaluator} against hand calculations. */
class LanguageModelEvaluatorTest {

    private static int[] randomIds(int n, int vocab, long seed) {
        java.util.Random r = new java.util.Random(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(vocab);
        }
        return ids;
    }

    /** An LSTM language model whose output layer is all zeros: softmax of zeros gives every word 1/V. */
    private static MultiLayerNetwork uniform(int vocab, int bptt) {
        MultiLayerNetwork net = Models.lstmLanguageModel(vocab, 8, bptt, new Sgd(0.1), 1);
        net.getOutputLayer().params().assign(0);
        return net;
    }

    @Test
    void aUniformModelHasPerplexityV() {
        int vocab = 37;
        int bptt = 5;
        int[] ids = randomIds(23, vocab, 1);   // 22 targets: 4 full sequences and a tail of 2
        MultiLayerNetwork net = uniform(vocab, bptt);
        double ce = LanguageModelEvaluator.meanCrossEntropy(net, ids, 22, bptt);
        assertEquals(Math.log(vocab), ce, 1e-6);
        assertEquals(vocab, LanguageModelEvaluator.perplexity(ce), 1e-4);
        LanguageModelEvaluator e = new LanguageModelEvaluator(ids, 20, ids, 22, bptt);
        Evaluator.Metrics m = e.evaluate(net);
        assertEquals(Math.log(vocab), m.trainLoss(), 1e-6);
        assertEquals(Math.log(vocab), m.testLoss(), 1e-6);
        assertEquals(vocab, m.testMetric(), 1e-4);
    }

    @Test
    void crossEntropySumPicksTheProbabilityOfEachNextToken() {
        // Two sequences of length 2 over V = 3; the labels are ids[1..4] = 2, 0, 1, 1.
        int[] ids = {0, 2, 0, 1, 1};
        INDArray p = Nd4j.create(DataType.DOUBLE, 2, 3, 2);
        double[][] probs = {{0.5, 0.25, 0.25}, {0.2, 0.3, 0.5}, {0.1, 0.8, 0.1}, {0, 1, 0}};   // per (seq, t)
        for (int k = 0; k < 4; k++) {
            for (int v = 0; v < 3; v++) {
                p.putScalar(new long[] {k / 2, v, k % 2}, probs[k][v]);
            }
        }
        double expected = -(Math.log(0.25) + Math.log(0.2) + Math.log(0.8) + Math.log(1));
        assertEquals(expected, LanguageModelEvaluator.crossEntropySum(p, ids, 0), 1e-12);
        // A zero probability is clipped at 1e-10, as DL4J's LossMCXENT does: large but finite.
        p.putScalar(new long[] {1, 1, 1}, 0.0);
        assertEquals(expected - Math.log(1e-10), LanguageModelEvaluator.crossEntropySum(p, ids, 0), 1e-9);
        assertThrows(IllegalArgumentException.class,
                () -> LanguageModelEvaluator.crossEntropySum(p, new int[] {0, 5, 0, 0, 0}, 0));
    }

    @Test
    void dl4jScoreIsBpttTimesThePerTokenCrossEntropy() {
        // Why the evaluator does not use net.score(): RnnOutputLayer sums over time steps and divides by the number
        // of sequences, not of tokens.
        int vocab = 20;
        int bptt = 7;
        int[] ids = randomIds(3 * bptt + 1, vocab, 2);
        MultiLayerNetwork net = Models.lstmLanguageModel(vocab, 8, bptt, new Sgd(0.1), 3);
        DataSet d = WikiText.sequences(ids, bptt, 0);
        double ce = LanguageModelEvaluator.meanCrossEntropy(net, ids, 3 * bptt, bptt);
        assertEquals(bptt * ce, net.score(d, false), 1e-4 * bptt * ce);
    }

    @Test
    void aTailShorterThanBpttIsEvaluatedOnItsOwnFromAZeroState() {
        int vocab = 15;
        int bptt = 4;
        int[] ids = randomIds(11, vocab, 4);   // 10 targets: sequences [0,4), [4,8) and the tail [8,10)
        MultiLayerNetwork net = Models.lstmLanguageModel(vocab, 8, bptt, new Sgd(0.1), 5);
        double all = LanguageModelEvaluator.meanCrossEntropy(net, ids, 10, bptt) * 10;
        double full = LanguageModelEvaluator.meanCrossEntropy(net, ids, 8, bptt) * 8;
        int[] tail = java.util.Arrays.copyOfRange(ids, 8, 11);
        double rest = LanguageModelEvaluator.meanCrossEntropy(net, tail, 2, bptt) * 2;
        assertEquals(full + rest, all, 1e-5);
        // Chunking does not change the result: one sequence at a time gives the same sum.
        double oneByOne = 0;
        for (int s = 0; s < 2; s++) {
            oneByOne += LanguageModelEvaluator.meanCrossEntropy(net, java.util.Arrays.copyOfRange(ids, s * bptt,
                    s * bptt + bptt + 1), bptt, bptt) * bptt;
        }
        assertEquals(full, oneByOne, 1e-5);
    }

    @Test
    void theLanguageModelIsDeterministicInTheSeed() {
        assertEquals(Models.lstmLanguageModel(30, 8, 5, new Sgd(0.1), 7).params(),
                Models.lstmLanguageModel(30, 8, 5, new Sgd(0.1), 7).params());
        org.junit.jupiter.api.Assertions.assertNotEquals(Models.lstmLanguageModel(30, 8, 5, new Sgd(0.1), 7).params(),
                Models.lstmLanguageModel(30, 8, 5, new Sgd(0.1), 8).params());
    }
}
