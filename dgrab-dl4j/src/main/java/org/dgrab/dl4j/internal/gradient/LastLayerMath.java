package org.dgrab.dl4j.internal.gradient;

import org.dgrab.core.internal.balance.ArrayVectorBuffer;

/**
 * The per-example maths of a dense output layer {@code z = h W + b} on plain row-major {@code double[]} arrays:
 * the logits, {@code softmax(z) - y} and the per-example gradient rows {@code [h_i ⊗ δ_i, δ_i]}. For one worker's
 * batch this arithmetic costs less than the fixed overhead and allocations of the equivalent ND4J ops. Stateless;
 * every method writes only into the array it is given for its result.
 */
final class LastLayerMath {
    private LastLayerMath() {
    }

    /**
     * @param nIn  inputs of the layer
     * @param nOut outputs of the layer
     * @param bias whether the layer has a bias
     * @return length of one example's row, {@code nIn * nOut} plus {@code nOut} with a bias
     */
    static int dimension(int nIn, int nOut, boolean bias) {
        return nIn * nOut + (bias ? nOut : 0);
    }

    /**
     * Logits {@code z[i, j] = b[j] + sum_a h[i, a] W[a, j]}.
     *
     * @param h    inputs {@code [count, nIn]}
     * @param wT   the weights transposed, {@code [nOut, nIn]} (so that each logit is a contiguous dot product)
     * @param bias {@code [nOut]}, or null for a layer without bias
     * @param count examples
     * @param nIn  inputs
     * @param nOut outputs
     * @param z    result {@code [count, nOut]} (at least that long)
     */
    static void logits(double[] h, double[] wT, double[] bias, int count, int nIn, int nOut, double[] z) {
        if (bias != null) {
            for (int i = 0; i < count; i++) {
                System.arraycopy(bias, 0, z, i * nOut, nOut);
            }
        } else {
            java.util.Arrays.fill(z, 0, count * nOut, 0.0);
        }
        for (int i = 0; i < count; i++) {
            int hi = i * nIn;
            for (int j = 0; j < nOut; j++) {
                z[i * nOut + j] += ArrayVectorBuffer.dot(h, hi, wT, j * nIn, nIn);
            }
        }
    }

    /**
     * {@code dL/dz = softmax(z) - y} of softmax with cross-entropy, per example; numerically stable (the row's
     * maximum is subtracted before exponentiating).
     *
     * @param z     logits {@code [count, nOut]}
     * @param y     labels {@code [count, nOut]}
     * @param count examples
     * @param nOut  outputs
     * @param delta result {@code [count, nOut]}
     */
    static void softmaxMinusLabels(double[] z, double[] y, int count, int nOut, double[] delta) {
        for (int i = 0; i < count; i++) {
            int di = i * nOut;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < nOut; j++) {
                max = Math.max(max, z[di + j]);
            }
            double sum = 0.0;
            for (int j = 0; j < nOut; j++) {
                delta[di + j] = Math.exp(z[di + j] - max);
                sum += delta[di + j];
            }
            for (int j = 0; j < nOut; j++) {
                delta[di + j] = delta[di + j] / sum - y[di + j];
            }
        }
    }

    /**
     * Per-example gradient rows: row {@code i} is the c-order {@code [nIn, nOut]} matrix {@code h_i ⊗ δ_i}, followed
     * by {@code δ_i} when the layer has a bias.
     *
     * @param h     inputs {@code [count, nIn]}
     * @param delta {@code dL/dz}, {@code [count, nOut]}
     * @param count examples
     * @param nIn   inputs
     * @param nOut  outputs
     * @param bias  whether the layer has a bias
     * @param rows  result {@code [count, dimension(nIn, nOut, bias)]}
     */
    static void outerRows(double[] h, double[] delta, int count, int nIn, int nOut, boolean bias, double[] rows) {
        int dim = dimension(nIn, nOut, bias);
        for (int i = 0; i < count; i++) {
            outerRow(h, delta, i, nIn, nOut, bias, rows, i * dim);
        }
    }

    /**
     * One example's gradient row, {@code h_i ⊗ δ_i} (c-order {@code [nIn, nOut]}) followed by {@code δ_i} when the
     * layer has a bias.
     *
     * @param h     inputs {@code [count, nIn]}
     * @param delta {@code dL/dz}, {@code [count, nOut]}
     * @param i     the example
     * @param nIn   inputs
     * @param nOut  outputs
     * @param bias  whether the layer has a bias
     * @param out   result array
     * @param at    where the row starts in {@code out}; {@code dimension(nIn, nOut, bias)} values are written
     */
    static void outerRow(double[] h, double[] delta, int i, int nIn, int nOut, boolean bias, double[] out, int at) {
        int hi = i * nIn;
        int di = i * nOut;
        for (int a = 0; a < nIn; a++) {
            double ha = h[hi + a];
            int o = at + a * nOut;
            for (int j = 0; j < nOut; j++) {
                out[o + j] = ha * delta[di + j];
            }
        }
        if (bias) {
            System.arraycopy(delta, di, out, at + nIn * nOut, nOut);
        }
    }
}
