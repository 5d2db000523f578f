package org.dgrab.core;

import static org.dgrab.core.StrategyTestSupport.assertSameOrders;
import static org.dgrab.core.StrategyTestSupport.byStep;
import static org.dgrab.core.StrategyTestSupport.drifting;
import static org.dgrab.core.StrategyTestSupport.herd;
import static org.dgrab.core.StrategyTestSupport.minus;
import static org.dgrab.core.StrategyTestSupport.observe;
import static org.dgrab.core.StrategyTestSupport.referencePairBalance;
import static org.dgrab.core.StrategyTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.internal.balance.ArrayVectorBuffer;
import org.dgrab.core.internal.balance.CountSketch;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.core.StrategyTestSupport.Gradients;
import org.dgrab.core.StrategyTestSupport.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PairBalanceTest {

    private static OrderingConfig config(long seed) {
        return OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(seed).build();
    }

    /** Gradients fixed per unit: unit {@code order0[t]} gets {@code byStep[t]}. */
    private static Gradients perUnit(int[] order0, double[][] byStep) {
        double[][] g = new double[order0.length][];
        for (int t = 0; t < order0.length; t++) {
            g[order0[t]] = byStep[t];
        }
        return (epoch, worker, unit) -> g[unit];
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void handComputedSixUnits(Input in) {
        OrderingStrategy s = config(5).create(6);
        assertInstanceOf(PairBalance.class, s);
        assertTrue(s.needsGradients());
        int[] u = s.order(0); // epoch 0: u0..u5, the seeded random order
        assertArrayEquals(Permutations.random(5, 0, 0, 6), u);
        double[][] g = {{0, 2}, {-1, 2}, {1, 2}, {1, 1}, {2, 2}, {0, 3}};
        Gradients grads = perUnit(u, g);
        // Epoch 0, running sum r starts at 0; each pair's difference d = g(first) - g(second):
        //   pair (u0,u1): d = (1,0),  <r,d> = 0  -> +1 (tie), r = (1,0);   u0 to front, u1 to back
        //   pair (u2,u3): d = (0,1),  <r,d> = 0  -> +1,       r = (1,1);   u2 to front, u3 to back
        //   pair (u4,u5): d = (2,-1), <r,d> = 1  -> -1,       r = (-1,2);  u5 to front, u4 to back
        // next order: fronts in arrival order, backs filled from the end: [u0, u2, u5, u4, u3, u1]
        List<int[][]> orders = run(s, grads, 1, in);
        int[] e1 = {u[0], u[2], u[5], u[4], u[3], u[1]};
        assertArrayEquals(e1, orders.get(1)[0]);
        // Epoch 1 (same unit gradients), visiting [u0, u2, u5, u4, u3, u1], r restarts at 0:
        //   pair (u0,u2): d = (0,2)-(1,2) = (-1,0), <r,d> = 0  -> +1, r = (-1,0); u0 front, u2 back
        //   pair (u5,u4): d = (0,3)-(2,2) = (-2,1), <r,d> = 2  -> -1, r = (1,-1); u4 front, u5 back
        //   pair (u3,u1): d = (1,1)-(-1,2) = (2,-1), <r,d> = 3 -> -1, r = (-1,0); u1 front, u3 back
        // next order: [u0, u4, u1, u3, u5, u2]
        orders = run(s, grads, 1, in);
        assertArrayEquals(new int[] {u[0], u[4], u[1], u[3], u[5], u[2]}, orders.get(1)[0]);
        assertEquals(2, s.epoch());
    }

    @Test
    void oddCountPutsTheLoneUnitInTheMiddle() {
        OrderingStrategy s = config(8).create(5);
        int[] u = s.order(0);
        double[][] g = {{0, 2}, {-1, 2}, {1, 1}, {4, 1}, {5, 1}};
        // pair (u0,u1): d = (1,0),  r = 0 -> +1, r = (1,0);   u0 front, u1 back
        // pair (u2,u3): d = (-3,0), <r,d> = -3 -> +1, r = (-2,0); u2 front, u3 back
        // lone u4: balanced by its own vector (5,1), <r,d> = -10 -> +1, and takes the one slot left, the middle
        List<int[][]> orders = run(s, perUnit(u, g), 1, Input.ARRAY);
        assertArrayEquals(new int[] {u[0], u[2], u[4], u[3], u[1]}, orders.get(1)[0]);
    }

    @Test
    void loneUnitVectorEntersTheBalance() {
        // Under FAIL, a non-finite lone vector is detected: it is balanced, not ignored.
        OrderingStrategy s = config(8).create(3);
        int[] u = s.order(0);
        s.observe(0, 0, new double[] {1, 2}, 0, 2);
        s.observe(0, 1, new double[] {0, 1}, 0, 2);
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
                () -> s.observe(0, 2, new double[] {Double.NaN, 0}, 0, 2));
        assertEquals(2, e.step());
        assertEquals(u[2], e.unit());
        s.observe(0, 2, new double[] {3, 3}, 0, 2);
        s.endEpoch();
        assertEquals(u[2], s.order(0)[1], "lone unit in the middle");
    }

    @Test
    void everyWorkerBalancesAloneLikeTheReference() {
        int[] shards = {7, 4, 1, 6, 2};
        int dim = 5;
        Gradients g = drifting(31, dim);
        OrderingStrategy s = config(12).create(shards);
        List<int[][]> got = run(s, g, 6, Input.ARRAY);
        for (int e = 0; e + 1 < got.size(); e++) {
            double[][][] steps = byStep(got.get(e), g, e);
            for (int w = 0; w < shards.length; w++) {
                assertArrayEquals(referencePairBalance(got.get(e)[w], steps[w]), got.get(e + 1)[w], "epoch " + e + " worker " + w);
            }
        }
        // ND4J inputs of either precision give the same orders as double[] inputs.
        assertSameOrders(got, run(config(12).create(shards), g, 6, Input.ND_DOUBLE));
        assertSameOrders(got, run(config(12).create(shards), g, 6, Input.ND_FLOAT));
    }

    @Test
    void balancingChangesTheOrderAndSeedsMatter() {
        Gradients g = drifting(3, 4);
        List<int[][]> a = run(config(1).create(16), g, 4, Input.ARRAY);
        List<int[][]> b = run(config(1).create(16), g, 4, Input.ARRAY);
        List<int[][]> c = run(config(2).create(16), g, 4, Input.ARRAY);
        assertSameOrders(a, b);
        for (int e = 0; e < a.size(); e++) {
            assertFalse(Arrays.equals(a.get(e)[0], c.get(e)[0]), "epoch " + e);
        }
        assertFalse(Arrays.equals(a.get(0)[0], a.get(1)[0]));
    }

    @Test
    void singleUnit() {
        OrderingStrategy s = config(0).create(1, 2);
        List<int[][]> orders = run(s, drifting(1, 3), 3, Input.ND_FLOAT);
        for (int[][] o : orders) {
            assertArrayEquals(new int[] {0}, o[0]);
        }
    }

    @Test
    void nonFiniteSecondOfPairFailsAndLeavesStateUnchanged() {
        int[] shards = {4, 4};
        Gradients g = drifting(4, 3);
        OrderingStrategy clean = config(6).create(shards);
        List<int[][]> expected = run(clean, g, 3, Input.ARRAY);

        OrderingStrategy s = config(6).create(shards);
        run(s, g, 1, Input.ARRAY);
        // epoch 1: worker 0 complete, worker 1 up to step 2
        for (int t = 0; t < 4; t++) {
            observe(s, 0, t, g.of(1, 0, s.unitAt(0, t)), Input.ARRAY);
        }
        for (int t = 0; t < 3; t++) {
            observe(s, 1, t, g.of(1, 1, s.unitAt(1, t)), Input.ARRAY);
        }
        int[] before = s.order(1);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] v = g.of(1, 1, s.unitAt(1, 3)).clone();
            v[1] = bad;
            NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> s.observe(1, 3, v, 0, 3));
            assertEquals(1, e.worker());
            assertEquals(1, e.epoch());
            assertEquals(3, e.step());
            assertEquals(s.unitAt(1, 3), e.unit());
            assertTrue(e.getMessage().contains("worker 1") && e.getMessage().contains("epoch 1")
                    && e.getMessage().contains("step 3"), e.getMessage());
            assertEquals(1, s.epoch());
            assertArrayEquals(before, s.order(1));
            assertThrows(IllegalStateException.class, s::endEpoch, "step 3 is still missing");
        }
        // the same step, now valid, is accepted and the run continues exactly like the clean one
        observe(s, 1, 3, g.of(1, 1, s.unitAt(1, 3)), Input.ARRAY);
        s.endEpoch();
        List<int[][]> rest = run(s, g, 1, Input.ARRAY);
        assertSameOrders(expected.subList(2, 4), rest);
    }

    @Test
    void nonFiniteFirstOfPairIsReportedWithItsOwnStep() {
        OrderingStrategy s = config(6).create(4);
        int[] u = s.order(0);
        s.observe(0, 0, new double[] {1, 1}, 0, 2);
        s.observe(0, 1, new double[] {0, 1}, 0, 2);
        s.observe(0, 2, new double[] {Double.POSITIVE_INFINITY, 1}, 0, 2); // stored; seen when the pair completes
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
                () -> s.observe(0, 3, new double[] {1, 0}, 0, 2));
        assertEquals(0, e.worker());
        assertEquals(0, e.epoch());
        assertEquals(2, e.step(), "the exception names the step whose gradient was bad");
        assertEquals(u[2], e.unit());
        assertThrows(IllegalStateException.class, s::endEpoch);
        assertEquals(0, s.epoch());
    }

    @Test
    void skipPlacesThePairCountsItAndKeepsTheSumFinite() {
        OrderingConfig cfg = OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(9).optNonFinitePolicy(NonFinitePolicy.SKIP).build();
        PairBalance s = (PairBalance) cfg.create(8);
        int[] u = s.order(0);
        Gradients g = drifting(10, 3);
        double[][] steps = new double[8][];
        for (int t = 0; t < 8; t++) {
            steps[t] = g.of(0, 0, u[t]);
            if (t == 3) {
                double[] bad = steps[t].clone();
                bad[0] = Double.NaN;
                s.observe(0, t, bad, 0, 3);
            } else {
                s.observe(0, t, steps[t], 0, 3);
            }
        }
        assertEquals(1, s.skippedCount());
        s.endEpoch();
        // Expected: pair 1 (steps 2,3) placed as if +1 and left out of the sum; the others balanced as usual.
        double[] r = new double[3];
        StrategyTestSupport.NextOrder next = new StrategyTestSupport.NextOrder();
        next.pair(herd(r, minus(steps[0], steps[1])), u[0], u[1]);
        next.pair(1, u[2], u[3]);
        next.pair(herd(r, minus(steps[4], steps[5])), u[4], u[5]);
        next.pair(herd(r, minus(steps[6], steps[7])), u[6], u[7]);
        assertArrayEquals(next.build(8), s.order(0));
        // The running sum stayed finite: later valid pairs are balanced, not skipped, and match the reference.
        List<int[][]> later = run(s, g, 3, Input.ARRAY);
        assertEquals(1, s.skippedCount());
        for (int e = 0; e + 1 < later.size(); e++) {
            assertArrayEquals(referencePairBalance(later.get(e)[0], byStep(later.get(e), g, e + 1)[0]), later.get(e + 1)[0]);
        }
    }

    @Test
    void sketchingBalancesTheSketchesOfTheGradients() {
        int dim = 12;
        int k = 4;
        Gradients g = drifting(77, dim);
        CountSketch sketch = new CountSketch(21, dim, k);
        Gradients sketched = (e, w, unit) -> {
            ArrayVectorBuffer out = new ArrayVectorBuffer(k);
            sketch.apply(new VectorRef().set(g.of(e, w, unit), 0, dim), out, new CountSketch.Scratch());
            return out.toDoubleArray();
        };
        OrderingConfig withSketch = OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(21).optSketchDim(k).build();
        List<int[][]> viaSketch = run(withSketch.create(9, 6), g, 4, Input.ARRAY);
        List<int[][]> presketched = run(config(21).create(9, 6), sketched, 4, Input.ARRAY);
        assertSameOrders(presketched, viaSketch);
        assertSameOrders(viaSketch, run(withSketch.create(9, 6), g, 4, Input.ND_DOUBLE));
        assertSameOrders(viaSketch, run(withSketch.create(9, 6), g, 4, Input.ND_FLOAT));
        // and the sketch really changes what is balanced (it is not silently ignored)
        List<int[][]> full = run(config(21).create(9, 6), g, 4, Input.ARRAY);
        boolean differs = false;
        for (int e = 1; e < full.size(); e++) {
            differs |= !Arrays.deepEquals(full.get(e), viaSketch.get(e));
        }
        assertTrue(differs, "a 4-dim sketch of 12-dim gradients should change some order");
    }

    @Test
    void sketchLargerThanTheGradientIsRejected() {
        OrderingConfig cfg = OrderingConfig.builder(Kind.PAIR_BALANCE).optSketchDim(5).build();
        OrderingStrategy s = cfg.create(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.observe(0, 0, new double[4], 0, 4));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4") && e.getMessage().contains("sketch"), e.getMessage());
        // nothing was fixed by the failed call: a gradient of dimension >= k is then accepted at the same step
        s.observe(0, 0, new double[5], 0, 5);
        s.observe(0, 1, new double[] {1, 2, 3, 4, 5}, 0, 5);
        assertThrows(IllegalArgumentException.class, () -> s.observe(0, 2, new double[4], 0, 4));
        // k == dimension is allowed
        OrderingStrategy t = OrderingConfig.builder(Kind.PAIR_BALANCE).optSketchDim(4).build().create(2);
        t.observe(0, 0, new double[4], 0, 4);
    }

    @Test
    void probabilisticSignsAreSeededAndUsed() {
        Gradients g = drifting(5, 3);
        OrderingConfig p = OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(4).optSignRule(SignRule.probabilistic(1.0)).build();
        List<int[][]> a = run(p.create(20, 20), g, 4, Input.ARRAY);
        assertSameOrders(a, run(p.create(20, 20), g, 4, Input.ARRAY));
        List<int[][]> det = run(config(4).create(20, 20), g, 4, Input.ARRAY);
        boolean differs = false;
        for (int e = 1; e < a.size(); e++) {
            differs |= !Arrays.deepEquals(a.get(e), det.get(e));
        }
        assertTrue(differs, "random signs with c comparable to <r,d> must change some order");
    }

    /** Largest prefix-sum norm (max norm) of the centred gradients visited in this order: the herding bound. */
    private static double herdingBound(int[] order, double[][] g) {
        int d = g[0].length;
        double[] mean = new double[d];
        for (double[] x : g) {
            for (int i = 0; i < d; i++) {
                mean[i] += x[i] / g.length;
            }
        }
        double[] prefix = new double[d];
        double worst = 0;
        for (int u : order) {
            for (int i = 0; i < d; i++) {
                prefix[i] += g[u][i] - mean[i];
                worst = Math.max(worst, Math.abs(prefix[i]));
            }
        }
        return worst;
    }

    @Test
    void balancingShrinksTheHerdingBound() {
        int m = 128;
        int dim = 4;
        double[][] g = new double[m][];
        for (int u = 0; u < m; u++) {
            g[u] = drifting(19, dim).of(0, 0, u);
        }
        OrderingStrategy s = config(19).create(m);
        double random = herdingBound(s.order(0), g);
        run(s, (e, w, u) -> g[u], 5, Input.ARRAY);
        double balanced = herdingBound(s.order(0), g);
        // a random order wanders like sqrt(m) ~ 11; PairBalance brings it down to O(log m)
        assertTrue(balanced * 2 < random, "balanced " + balanced + " vs random " + random);
    }
}
