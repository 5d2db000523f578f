package org.dgrab.core;

import static org.dgrab.core.StrategyTestSupport.assertSameOrders;
import static org.dgrab.core.StrategyTestSupport.byStep;
import static org.dgrab.core.StrategyTestSupport.drifting;
import static org.dgrab.core.StrategyTestSupport.observe;
import static org.dgrab.core.StrategyTestSupport.referenceCdGrab;
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
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.protocol.PairReport;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.core.StrategyTestSupport.Gradients;
import org.dgrab.core.StrategyTestSupport.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// A CD-GraB worker waits up to 10 minutes for its signs by default; a protocol bug must fail fast instead.
@Timeout(60)
class CoordinatedPairBalanceTest {

    private static OrderingConfig config(long seed) {
        return OrderingConfig.builder(Kind.CD_GRAB).optSeed(seed).build();
    }

    /** Two workers x four units; x = worker 0's epoch-0 order, y = worker 1's. Gradients given by step. */
    private static final double[][][] HAND = {
        {{2, 1}, {1, 1}, {3, 3}, {1, 2}},    // worker 0, steps 0..3
        {{0, 2}, {-1, 1}, {1, -1}, {0, -1}}, // worker 1, steps 0..3
    };

    private static void observeHand(OrderingStrategy s, int[] workerOrder) {
        for (int w : workerOrder) {
            for (int t = 0; t < 4; t++) {
                s.observe(w, t, HAND[w][t], 0, 2);
            }
        }
    }

    @Test
    void handComputedTwoWorkersOneSharedSum() {
        // Pair differences d = g(first) - g(second):
        //   worker 0: pair-step 0: (2,1)-(1,1) = (1,0);  pair-step 1: (3,3)-(1,2) = (2,1)
        //   worker 1: pair-step 0: (0,2)-(-1,1) = (1,1); pair-step 1: (1,-1)-(0,-1) = (1,0)
        // Canonical order: pair-step 0 of workers 0, 1, then pair-step 1 of workers 0, 1; one running sum r:
        //   (k=0, w=0): d = (1,0), <r,d> = 0  -> +1, r = (1,0)
        //   (k=0, w=1): d = (1,1), <r,d> = 1  -> -1, r = (0,-1)
        //   (k=1, w=0): d = (2,1), <r,d> = -1 -> +1, r = (2,0)
        //   (k=1, w=1): d = (1,0), <r,d> = 2  -> -1, r = (1,0)
        // worker 0 signs (+1,+1): [x0, x2, x3, x1]; worker 1 signs (-1,-1): [y1, y3, y2, y0]
        for (int[] arrival : new int[][] {{0, 1}, {1, 0}}) {
            OrderingStrategy s = config(17).create(4, 4);
            assertInstanceOf(CoordinatedPairBalance.class, s);
            int[] x = s.order(0);
            int[] y = s.order(1);
            assertArrayEquals(Permutations.random(17, 0, 0, 4), x);
            assertArrayEquals(Permutations.random(17, 0, 1, 4), y);
            observeHand(s, arrival); // whole workers one after the other: reports wait for their canonical turn
            s.endEpoch();
            assertArrayEquals(new int[] {x[0], x[2], x[3], x[1]}, s.order(0), "arrival " + Arrays.toString(arrival));
            assertArrayEquals(new int[] {y[1], y[3], y[2], y[0]}, s.order(1), "arrival " + Arrays.toString(arrival));
            assertEquals(1, s.epoch());
        }
        // Each worker on its own (ID-GraB pair) would get different orders from the same gradients:
        //   worker 0: (1,0) -> +1, r = (1,0); (2,1): <r,d> = 2 -> -1: [x0, x3, x2, x1]
        //   worker 1: (1,1) -> +1, r = (1,1); (1,0): <r,d> = 1 -> -1: [y0, y3, y2, y1]
        OrderingStrategy alone = OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(17).build().create(4, 4);
        int[] x = alone.order(0);
        int[] y = alone.order(1);
        observeHand(alone, new int[] {0, 1});
        alone.endEpoch();
        assertArrayEquals(new int[] {x[0], x[3], x[2], x[1]}, alone.order(0));
        assertArrayEquals(new int[] {y[0], y[3], y[2], y[1]}, alone.order(1));
    }

    @Test
    void unevenShardsMatchTheReference() {
        int[] shards = {5, 2, 3, 1, 8};
        int dim = 4;
        Gradients g = drifting(41, dim);
        List<int[][]> got = run(config(3).create(shards), g, 5, Input.ARRAY);
        for (int e = 0; e + 1 < got.size(); e++) {
            int[][] expected = referenceCdGrab(got.get(e), byStep(got.get(e), g, e), dim);
            for (int w = 0; w < shards.length; w++) {
                assertArrayEquals(expected[w], got.get(e + 1)[w], "epoch " + e + " worker " + w);
            }
            // odd shards: the lone last unit of this epoch takes the middle slot of the next
            for (int w = 0; w < shards.length; w++) {
                int m = shards[w];
                if (m % 2 == 1) {
                    assertEquals(got.get(e)[w][m - 1], got.get(e + 1)[w][m / 2], "epoch " + e + " worker " + w);
                }
            }
        }
        assertSameOrders(got, run(config(3).create(shards), g, 5, Input.ND_DOUBLE));
        assertSameOrders(got, run(config(3).create(shards), g, 5, Input.ND_FLOAT));
    }

    @Test
    void ordersDoNotDependOnTheArrivalOrderOfObservations() {
        int[] shards = {6, 3, 7};
        Gradients g = drifting(5, 3);
        List<int[][]> workerByWorker = run(config(8).create(shards), g, 4, Input.ARRAY);
        // step-interleaved arrival, workers in reverse id order
        OrderingStrategy s = config(8).create(shards);
        for (int e = 0; e < 4; e++) {
            assertSameOrders(workerByWorker.subList(e, e + 1), List.<int[][]>of(StrategyTestSupport.checkedOrders(s)));
            for (int t = 0; t < 7; t++) {
                for (int w = shards.length - 1; w >= 0; w--) {
                    if (t < shards[w]) {
                        observe(s, w, t, g.of(e, w, s.unitAt(w, t)), Input.ARRAY);
                    }
                }
            }
            s.endEpoch();
        }
        assertArrayEquals(workerByWorker.get(4)[2], s.order(2));
    }

    @Test
    void oneWorkerEqualsPairBalanceExactly() {
        SignRule[] rules = {SignRule.deterministic(), SignRule.probabilistic(2.0), SignRule.probabilistic(0.3)};
        for (SignRule rule : rules) {
            for (int m : new int[] {1, 2, 7, 8}) {
                for (Input in : new Input[] {Input.ARRAY, Input.ND_FLOAT}) {
                    Gradients g = drifting(m * 100 + 1, 5);
                    OrderingConfig cd = OrderingConfig.builder(Kind.CD_GRAB).optSeed(55).optSignRule(rule).build();
                    OrderingConfig pb = OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(55).optSignRule(rule).build();
                    List<int[][]> a = run(cd.create(m), g, 6, in);
                    List<int[][]> b = run(pb.create(m), g, 6, in);
                    assertSameOrders(b, a);
                }
            }
        }
        // the probabilistic runs really are random: another seed gives other orders
        Gradients g = drifting(3, 5);
        OrderingConfig.Builder p = OrderingConfig.builder(Kind.CD_GRAB).optSignRule(SignRule.probabilistic(2.0));
        List<int[][]> a = run(p.optSeed(1).build().create(16), g, 3, Input.ARRAY);
        List<int[][]> b = run(p.optSeed(1).build().withSeed(2).create(16), g, 3, Input.ARRAY);
        assertFalse(Arrays.equals(a.get(3)[0], b.get(3)[0]));
    }

    @Test
    void nonFiniteFailsNamingWorkerEpochStepAndKeepsState() {
        int[] shards = {4, 6};
        Gradients g = drifting(6, 3);
        List<int[][]> expected = run(config(2).create(shards), g, 3, Input.ND_DOUBLE);

        OrderingStrategy s = config(2).create(shards);
        run(s, g, 1, Input.ND_DOUBLE);
        for (int t = 0; t < 4; t++) {
            observe(s, 0, t, g.of(1, 0, s.unitAt(0, t)), Input.ND_DOUBLE);
        }
        for (int t = 0; t < 5; t++) {
            observe(s, 1, t, g.of(1, 1, s.unitAt(1, t)), Input.ND_DOUBLE);
        }
        double[] bad = g.of(1, 1, s.unitAt(1, 5)).clone();
        bad[0] = Double.NaN;
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> observe(s, 1, 5, bad, Input.ND_DOUBLE));
        assertEquals(1, e.worker());
        assertEquals(1, e.epoch());
        assertEquals(5, e.step());
        assertEquals(s.unitAt(1, 5), e.unit());
        assertTrue(e.getMessage().contains("worker 1") && e.getMessage().contains("epoch 1") && e.getMessage().contains("step 5"),
                e.getMessage());
        assertThrows(IllegalStateException.class, s::endEpoch);
        observe(s, 1, 5, g.of(1, 1, s.unitAt(1, 5)), Input.ND_DOUBLE);
        s.endEpoch();
        assertSameOrders(expected.subList(2, 4), run(s, g, 1, Input.ND_DOUBLE));
        assertEquals(0, s.stats().skippedUnits());
    }

    @Test
    void skipPlacesThePairAndKeepsBalancingTheRest() {
        OrderingConfig cfg = OrderingConfig.builder(Kind.CD_GRAB).optSeed(5).optNonFinitePolicy(NonFinitePolicy.SKIP).build();
        CoordinatedPairBalance s = (CoordinatedPairBalance) cfg.create(4, 4);
        int[] x = s.order(0);
        int[] y = s.order(1);
        // Hand gradients with worker 0's second pair broken (step 3 infinite): that pair gets sign +1 and is left
        // out of the sum. Canonical order:
        //   (k=0, w=0): d = (1,0),  r = 0 -> +1, r = (1,0)
        //   (k=0, w=1): d = (1,1),  <r,d> = 1 -> -1, r = (0,-1)
        //   (k=1, w=0): skipped -> +1, r unchanged
        //   (k=1, w=1): d = (1,0),  <r,d> = 0 -> +1, r = (1,-1)
        // worker 0: [x0, x2, x3, x1]; worker 1 signs (-1,+1): [y1, y2, y3, y0]
        for (int w = 0; w < 2; w++) {
            for (int t = 0; t < 4; t++) {
                double[] v = w == 0 && t == 3 ? new double[] {Double.POSITIVE_INFINITY, 2} : HAND[w][t];
                s.observe(w, t, v, 0, 2);
            }
        }
        assertEquals(1, s.skippedCount());
        s.endEpoch();
        assertArrayEquals(new int[] {x[0], x[2], x[3], x[1]}, s.order(0));
        assertArrayEquals(new int[] {y[1], y[2], y[3], y[0]}, s.order(1));
        run(s, drifting(2, 2), 3, Input.ARRAY);
        assertEquals(1, s.skippedCount(), "later pairs are balanced against a finite sum");
    }

    @Test
    void sketchIsWhatWorkersSend() {
        int dim = 10;
        int k = 3;
        Gradients g = drifting(9, dim);
        OrderingConfig cfg = OrderingConfig.builder(Kind.CD_GRAB).optSeed(4).optSketchDim(k).build();
        CoordinatedPairBalance s = (CoordinatedPairBalance) cfg.create(6, 5);
        List<int[][]> withSketch = run(s, g, 3, Input.ARRAY);
        // 3 + 3 reports per epoch (a 5-unit shard has 3 pair-steps), each k doubles plus the header
        assertEquals(3 * 6, s.communication().reports());
        assertEquals(3 * 6 * (PairReport.HEADER_BYTES + 8L * k), s.communication().reportBytes());
        // same orders as CD-GraB on pre-sketched gradients
        org.dgrab.core.internal.balance.CountSketch sketch = new org.dgrab.core.internal.balance.CountSketch(4, dim, k);
        Gradients sketched = (e, w, u) -> {
            org.dgrab.core.internal.balance.ArrayVectorBuffer out = new org.dgrab.core.internal.balance.ArrayVectorBuffer(k);
            sketch.apply(new org.dgrab.core.internal.balance.VectorRef().set(g.of(e, w, u), 0, dim), out,
                    new org.dgrab.core.internal.balance.CountSketch.Scratch());
            return out.toDoubleArray();
        };
        assertSameOrders(run(config(4).create(6, 5), sketched, 3, Input.ARRAY), withSketch);
        assertSameOrders(withSketch, run(cfg.create(6, 5), g, 3, Input.ND_DOUBLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OrderingConfig.builder(Kind.CD_GRAB).optSketchDim(dim + 1).build().create(2).observe(0, 0, new double[dim], 0, dim));
        assertTrue(e.getMessage().contains("sketch"), e.getMessage());
    }

    @Test
    void singleUnitWorkers() {
        OrderingStrategy s = config(0).create(1, 1, 2);
        List<int[][]> orders = run(s, drifting(1, 2), 3, Input.ARRAY);
        for (int[][] o : orders) {
            assertArrayEquals(new int[] {0}, o[0]);
            assertArrayEquals(new int[] {0}, o[1]);
        }
    }
}
