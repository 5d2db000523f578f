package org.dgrab.core;

import static org.dgrab.core.StrategyTestSupport.assertSameOrders;
import static org.dgrab.core.StrategyTestSupport.drifting;
import static org.dgrab.core.StrategyTestSupport.herd;
import static org.dgrab.core.StrategyTestSupport.observe;
import static org.dgrab.core.StrategyTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.core.StrategyTestSupport.Gradients;
import org.dgrab.core.StrategyTestSupport.Input;
import org.junit.jupiter.api.Test;

class MeanBalanceTest {

    private static OrderingConfig config(long seed) {
        return OrderingConfig.builder(Kind.MEAN_BALANCE).optSeed(seed).build();
    }

    @Test
    void handComputedEpochZeroUsesZeroMeanThenThePreviousMean() {
        MeanBalance s = (MeanBalance) config(3).create(4);
        int[] u = s.order(0);
        assertArrayEquals(Permutations.random(3, 0, 0, 4), u);
        double[][] byStep0 = {{-3, 0}, {-2, -2}, {-3, -1}, {0, -1}};
        double[][] g = new double[4][];
        for (int t = 0; t < 4; t++) {
            g[u[t]] = byStep0[t];
        }
        Gradients grads = (e, w, unit) -> g[unit];
        assertNull(s.mean(0), "no dimension before the first gradient");
        // Epoch 0: the mean is zero, so the centred vector is the gradient itself; r starts at 0.
        //   u0: c = (-3,0),   <r,c> = 0  -> +1 (front), r = (-3,0)
        //   u1: c = (-2,-2),  <r,c> = 6  -> -1 (back),  r = (-1,2)
        //   u2: c = (-3,-1),  <r,c> = 1  -> -1 (back),  r = (2,3)
        //   u3: c = (0,-1),   <r,c> = -3 -> +1 (front), r = (2,2)
        // next order [u0, u3, u2, u1]; mean of epoch 0 = (-8/4, -4/4) = (-2,-1)
        observe(s, 0, 0, g[u[0]], Input.ARRAY);
        assertArrayEquals(new double[] {0, 0}, s.mean(0), "epoch 0 centres with a zero mean");
        for (int t = 1; t < 4; t++) {
            observe(s, 0, t, g[u[t]], Input.ARRAY);
        }
        s.endEpoch();
        assertArrayEquals(new int[] {u[0], u[3], u[2], u[1]}, s.order(0));
        assertArrayEquals(new double[] {-2, -1}, s.mean(0));
        // Epoch 1 visits [u0, u3, u2, u1] with the same gradients, centred with (-2,-1); r restarts at 0:
        //   u0: c = (-1,1),  <r,c> = 0  -> +1, r = (-1,1)
        //   u3: c = (2,0),   <r,c> = -2 -> +1, r = (1,1)
        //   u2: c = (-1,0),  <r,c> = -1 -> +1, r = (0,1)
        //   u1: c = (0,-1),  <r,c> = -1 -> +1, r = (0,0)
        // next order [u0, u3, u2, u1]. (Without centring, u1 would see <r,g> = 2 and go to the back:
        // [u0, u3, u1, u2].)
        run(s, grads, 1, Input.ARRAY);
        assertArrayEquals(new int[] {u[0], u[3], u[2], u[1]}, s.order(0));
        assertArrayEquals(new double[] {-2, -1}, s.mean(0));
    }

    /** Plain-Java MeanBalance for several workers over several epochs. */
    @Test
    void matchesTheReferenceAndTracksTheMeanEpochByEpoch() {
        int[] shards = {5, 3, 1};
        int dim = 4;
        Gradients g = drifting(8, dim);
        MeanBalance s = (MeanBalance) config(2).create(shards);
        double[][] mean = new double[shards.length][dim];
        for (int e = 0; e < 5; e++) {
            int[][] orders = StrategyTestSupport.checkedOrders(s);
            int[][] expected = new int[shards.length][];
            double[][] nextMean = new double[shards.length][dim];
            for (int w = 0; w < shards.length; w++) {
                // centre with last epoch's mean (zero in epoch 0), herd, +1 to the front, -1 to the back
                double[] r = new double[dim];
                List<Integer> front = new ArrayList<>();
                List<Integer> back = new ArrayList<>();
                double[] sum = new double[dim];
                for (int t = 0; t < shards[w]; t++) {
                    double[] x = g.of(e, w, orders[w][t]);
                    if (herd(r, StrategyTestSupport.minus(x, mean[w])) > 0) {
                        front.add(orders[w][t]);
                    } else {
                        back.add(orders[w][t]);
                    }
                    for (int i = 0; i < dim; i++) {
                        sum[i] += x[i];
                    }
                }
                expected[w] = new int[shards[w]];
                int i = 0;
                for (int x : front) {
                    expected[w][i++] = x;
                }
                for (int j = back.size() - 1; j >= 0; j--) {
                    expected[w][i++] = back.get(j);
                }
                for (int d = 0; d < dim; d++) {
                    nextMean[w][d] = sum[d] / shards[w];
                }
            }
            StrategyTestSupport.observeAll(s, g, Input.ARRAY);
            s.endEpoch();
            mean = nextMean;
            for (int w = 0; w < shards.length; w++) {
                assertArrayEquals(expected[w], s.order(w), "epoch " + e + " worker " + w);
                assertArrayEquals(mean[w], s.mean(w), 1e-12, "mean after epoch " + e + " worker " + w);
            }
        }
    }

    @Test
    void nd4jInputsGiveTheSameOrders() {
        Gradients g = drifting(12, 6);
        List<int[][]> a = run(config(7).create(9, 4), g, 5, Input.ARRAY);
        assertSameOrders(a, run(config(7).create(9, 4), g, 5, Input.ND_DOUBLE));
        assertSameOrders(a, run(config(7).create(9, 4), g, 5, Input.ND_FLOAT));
    }

    @Test
    void nonFiniteGradientFailsWithoutChangingState() {
        Gradients g = drifting(13, 3);
        List<int[][]> expected = run(config(1).create(5), g, 3, Input.ARRAY);
        MeanBalance s = (MeanBalance) config(1).create(5);
        run(s, g, 1, Input.ARRAY);
        double[] meanBefore = s.mean(0);
        observe(s, 0, 0, g.of(1, 0, s.unitAt(0, 0)), Input.ARRAY);
        observe(s, 0, 1, g.of(1, 0, s.unitAt(0, 1)), Input.ARRAY);
        double[] bad = g.of(1, 0, s.unitAt(0, 2)).clone();
        bad[2] = Double.NEGATIVE_INFINITY;
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> observe(s, 0, 2, bad, Input.ARRAY));
        assertEquals(0, e.worker());
        assertEquals(1, e.epoch());
        assertEquals(2, e.step());
        assertEquals(s.unitAt(0, 2), e.unit());
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        assertArrayEquals(meanBefore, s.mean(0));
        for (int t = 2; t < 5; t++) {
            observe(s, 0, t, g.of(1, 0, s.unitAt(0, t)), Input.ARRAY);
        }
        s.endEpoch();
        run(s, g, 1, Input.ARRAY);
        assertArrayEquals(expected.get(3)[0], s.order(0));
    }

    @Test
    void skipLeavesTheGradientOutOfSumAndMean() {
        OrderingConfig cfg = OrderingConfig.builder(Kind.MEAN_BALANCE).optSeed(4).optNonFinitePolicy(NonFinitePolicy.SKIP).build();
        MeanBalance s = (MeanBalance) cfg.create(4);
        int[] u = s.order(0);
        // steps: (1,0), (NaN,1) skipped -> placed at the front, (3,0), (2,2)
        //   step 0: c = (1,0), r = 0 -> +1 front, r = (1,0)
        //   step 1: skipped, counts as +1: front
        //   step 2: c = (3,0), <r,c> = 3 -> -1 back, r = (-2,0)
        //   step 3: c = (2,2), <r,c> = -4 -> +1 front, r = (0,2)
        // next order [u0, u1, u3, u2]; mean over the 3 finite gradients = (6/3, 2/3)
        s.observe(0, 0, new double[] {1, 0}, 0, 2);
        s.observe(0, 1, new double[] {Double.NaN, 1}, 0, 2);
        s.observe(0, 2, new double[] {3, 0}, 0, 2);
        s.observe(0, 3, new double[] {2, 2}, 0, 2);
        assertEquals(1, s.skippedCount());
        s.endEpoch();
        assertArrayEquals(new int[] {u[0], u[1], u[3], u[2]}, s.order(0));
        assertArrayEquals(new double[] {2, 2.0 / 3}, s.mean(0), 1e-12);
        // finite sums: a further epoch of valid gradients skips nothing
        run(s, drifting(3, 2), 2, Input.ARRAY);
        assertEquals(1, s.skippedCount());
        for (double m : s.mean(0)) {
            assertTrue(Double.isFinite(m));
        }
    }

    @Test
    void createdByConfig() {
        assertInstanceOf(MeanBalance.class, OrderingConfig.of("grab", 0).create(3));
        assertThrows(IllegalArgumentException.class, () -> ((MeanBalance) config(0).create(3)).mean(3));
    }

    @Test
    void sketchingBalancesTheSketchesOfTheGradients() {
        int dim = 9;
        int k = 3;
        Gradients g = drifting(15, dim);
        org.dgrab.core.internal.balance.CountSketch sketch = new org.dgrab.core.internal.balance.CountSketch(6, dim, k);
        Gradients sketched = (e, w, u) -> {
            org.dgrab.core.internal.balance.ArrayVectorBuffer out = new org.dgrab.core.internal.balance.ArrayVectorBuffer(k);
            sketch.apply(new org.dgrab.core.internal.balance.VectorRef().set(g.of(e, w, u), 0, dim), out,
                    new org.dgrab.core.internal.balance.CountSketch.Scratch());
            return out.toDoubleArray();
        };
        OrderingConfig cfg = OrderingConfig.builder(Kind.MEAN_BALANCE).optSeed(6).optSketchDim(k).build();
        MeanBalance s = (MeanBalance) cfg.create(7, 8);
        List<int[][]> viaSketch = run(s, g, 4, Input.ARRAY);
        assertSameOrders(run(config(6).create(7, 8), sketched, 4, Input.ARRAY), viaSketch);
        assertEquals(k, s.mean(0).length, "the mean lives in sketch space");
        assertThrows(IllegalArgumentException.class, () -> cfg.create(2).observe(0, 0, new double[2], 0, 2));
    }
}
