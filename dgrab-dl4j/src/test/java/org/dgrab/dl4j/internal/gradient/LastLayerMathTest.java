package org.dgrab.dl4j.internal.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** {@link LastLayerMath} on small cases computed by hand; plain arrays, no DL4J or ND4J. */
class LastLayerMathTest {
    /** h = [[1, 2], [0, -1]]: two examples, two inputs. */
    private static final double[] H = {1, 2, 0, -1};
    /** W = [[1, 0, 2], [0, 1, -1]] (two inputs, three outputs), stored transposed: row j holds W[., j]. */
    private static final double[] W_T = {1, 0, 0, 1, 2, -1};

    @Test
    void dimensionCountsWeightsAndBias() {
        assertEquals(9, LastLayerMath.dimension(2, 3, true));
        assertEquals(6, LastLayerMath.dimension(2, 3, false));
    }

    @Test
    void logitsWithBias() {
        double[] z = new double[6];
        Arrays.fill(z, 99);
        LastLayerMath.logits(H, W_T, new double[] {0.5, 0, -1}, 2, 2, 3, z);
        // h_0 W = [1, 2, 0], h_1 W = [0, -1, 1], plus the bias.
        assertArrayEquals(new double[] {1.5, 2, -1, 0.5, -1, 0}, z, 0);
    }

    @Test
    void logitsWithoutBiasOverwriteStaleValues() {
        double[] z = new double[8];
        Arrays.fill(z, 99);
        LastLayerMath.logits(H, W_T, null, 2, 2, 3, z);
        assertArrayEquals(new double[] {1, 2, 0, 0, -1, 1, 99, 99}, z, 0);
    }

    @Test
    void softmaxMinusLabels() {
        // Row 0: softmax([0, ln 3]) = [1/4, 3/4], label [0, 1]. Row 1: softmax([0, 0]) = [1/2, 1/2], label [1, 0].
        double[] z = {0, Math.log(3), 0, 0};
        double[] y = {0, 1, 1, 0};
        double[] delta = new double[4];
        LastLayerMath.softmaxMinusLabels(z, y, 2, 2, delta);
        assertArrayEquals(new double[] {0.25, -0.25, -0.5, 0.5}, delta, 1e-15);
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        // exp(1000) overflows; shifted by the row maximum the result is that of [0, ln 3].
        double[] z = {1000, 1000 + Math.log(3)};
        double[] delta = new double[2];
        LastLayerMath.softmaxMinusLabels(z, new double[] {0, 1}, 1, 2, delta);
        assertArrayEquals(new double[] {0.25, -0.25}, delta, 1e-12);
    }

    @Test
    void outerRowsWithBias() {
        // Example 0: h = [1, 2], delta = [3, -1]: [h ⊗ delta (c-order 2 x 2), delta]. Example 1: h = [0, -1], delta = [1, 2].
        double[] rows = new double[12];
        LastLayerMath.outerRows(H, new double[] {3, -1, 1, 2}, 2, 2, 2, true, rows);
        assertArrayEquals(new double[] {3, -1, 6, -2, 3, -1, 0, 0, -1, -2, 1, 2}, rows, 0);
    }

    @Test
    void outerRowsWithoutBias() {
        double[] rows = new double[8];
        LastLayerMath.outerRows(H, new double[] {3, -1, 1, 2}, 2, 2, 2, false, rows);
        assertArrayEquals(new double[] {3, -1, 6, -2, 0, 0, -1, -2}, rows, 0);
    }
}
