package org.dgrab.core;

import static org.dgrab.core.StrategyTestSupport.assertSameOrders;
import static org.dgrab.core.StrategyTestSupport.checkedOrders;
import static org.dgrab.core.StrategyTestSupport.drifting;
import static org.dgrab.core.StrategyTestSupport.observe;
import static org.dgrab.core.StrategyTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.fixtures.SyntheticGradients;
import org.dgrab.core.internal.protocol.PairReport;
import org.dgrab.core.internal.protocol.SignReply;
import org.dgrab.core.internal.protocol.TreeCoordinator;
import org.dgrab.core.StrategyTestSupport.Gradients;
import org.dgrab.core.StrategyTestSupport.Input;
import org.junit.jupiter.api.Test;

/** Recursive CD-GraB: hand-computed trees, depth 0 against CD-GraB, arrival order, counters, config, checkpoints. */
class RecursivePairBalanceTest {
    private static final int[] UNEVEN = {5, 2, 3, 1, 8, 7};

    private static OrderingConfig config(long seed, int depth) {
        return OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optSeed(seed).optDepth(depth).build();
    }

    /** One worker, 1-D gradients given by step. */
    private static int[] oneEpoch(int depth, double... byStep) {
        OrderingStrategy s = config(9, depth).create(byStep.length);
        int[] x = s.order(0);
        for (int t = 0; t < byStep.length; t++) {
            s.observe(0, t, new double[] {byStep[t]}, 0, 1);
        }
        s.endEpoch();
        int[] next = s.order(0);
        int[] steps = new int[next.length];
        for (int i = 0; i < next.length; i++) {
            steps[i] = indexOf(x, next[i]);
        }
        return steps;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new AssertionError(v);
    }

    @Test
    void handComputedDepthOneTree() {
        // Gradients by step g = (3, 1, 2, 0). Root: d0 = 3-1 = 2, r = 0 -> +1, r = 2: step 0 left, step 1 right.
        // d1 = 2-0 = 2, <r,d1> = 4 > 0 -> -1: step 3 left, step 2 right. Left leaf pairs (0, 3): +1 -> [0, 3];
        // right leaf pairs (1, 2): +1 -> [1, 2]. Next order by step: [0, 3, 1, 2].
        assertArrayEquals(new int[] {0, 3, 1, 2}, oneEpoch(1, 3, 1, 2, 0));
        // Depth 0 (CD-GraB): pair 0 +1 -> 0 front, 1 back; pair 1 -1 -> 3 front, 2 back: [0, 3, 2, 1].
        assertArrayEquals(new int[] {0, 3, 2, 1}, oneEpoch(0, 3, 1, 2, 0));
    }

    @Test
    void loneUnitGoesLeftAndIsBalancedAtTheLeaf() {
        // g = (3, 1, 2, 0, 1): as above, and the lone step 4 passes the root unbalanced to the left leaf, which
        // has 3 units: pair (0, 3) +1, r = 3 - 0 = 3: 0 to slot 0, 3 to slot 2; lone 4: <3, 1> > 0 -> -1, slot 1.
        // Right leaf: (1, 2) -> [1, 2]. Next order by step: [0, 4, 3, 1, 2].
        assertArrayEquals(new int[] {0, 4, 3, 1, 2}, oneEpoch(1, 3, 1, 2, 0, 1));
    }

    @Test
    void depthZeroIsExactlyCdGrab() {
        Gradients g = drifting(41, 4);
        for (SignRule rule : List.of(SignRule.deterministic(), SignRule.probabilistic(1.0))) {
            for (Input in : List.of(Input.ARRAY, Input.ND_FLOAT)) {
                OrderingStrategy cd = OrderingConfig.builder(Kind.CD_GRAB).optSeed(3).optSignRule(rule).build()
                        .create(UNEVEN);
                OrderingStrategy rec = OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optSeed(3).optSignRule(rule)
                        .optDepth(0).build().create(UNEVEN);
                List<int[][]> expected = run(cd, g, 6, in);
                assertSameOrders(expected, run(rec, g, 6, in));
                assertEquals(cd.stats(), rec.stats(), "same messages and bytes as CD-GraB");
                assertFalse(Arrays.deepEquals(expected.get(0), expected.get(6)), "orders changed");
            }
        }
    }

    @Test
    void deeperTreesGiveOtherOrdersAndThenHandOverToCdGrab() {
        Gradients g = drifting(7, 3);
        List<int[][]> cd = run(config(5, 0).create(UNEVEN), g, 4, Input.ARRAY);
        List<int[][]> deep = run(config(5, 3).create(UNEVEN), g, 4, Input.ARRAY);
        assertFalse(Arrays.deepEquals(cd.get(1), deep.get(1)), "depth 3 reorders differently in epoch 0");
        assertEquals(3, TreeCoordinator.activeDepth(3, 0));
        assertEquals(1, TreeCoordinator.activeDepth(3, 1));
        assertEquals(0, TreeCoordinator.activeDepth(3, 2));
        assertEquals(0, TreeCoordinator.activeDepth(10, 4));
        assertEquals(0, TreeCoordinator.activeDepth(10, Integer.MAX_VALUE));
    }

    @Test
    void ordersDoNotDependOnTheArrivalOrderOfObservations() {
        Gradients g = drifting(5, 3);
        List<int[][]> workerByWorker = run(config(8, 3).create(UNEVEN), g, 4, Input.ARRAY);
        OrderingStrategy s = config(8, 3).create(UNEVEN);
        for (int e = 0; e < 4; e++) {
            assertSameOrders(workerByWorker.subList(e, e + 1), List.<int[][]>of(checkedOrders(s)));
            for (int t = 0; t < 8; t++) {
                for (int w = UNEVEN.length - 1; w >= 0; w--) {
                    if (t < UNEVEN[w]) {
                        observe(s, w, t, g.of(e, w, s.unitAt(w, t)), Input.ARRAY);
                    }
                }
            }
            s.endEpoch();
        }
        assertSameOrders(workerByWorker.subList(4, 5), List.<int[][]>of(checkedOrders(s)));
    }

    @Test
    void countsOneReportPerPairAndOneReplyPerWorkerAndEpoch() {
        int dim = 3;
        int[] shards = {5, 4};
        RecursivePairBalance s = (RecursivePairBalance) config(1, 2).create(shards);
        assertEquals(OrderingStats.NONE, s.stats());
        run(s, drifting(4, dim), 1, Input.ARRAY);
        // Epoch 0 at depth 2: worker 0 sends 2 pairs of two vectors and a lone unit, worker 1 two pairs.
        long vec = dim * 8L;
        long reportBytes = 4 * (PairReport.HEADER_BYTES + 2 * vec) + PairReport.HEADER_BYTES + vec;
        // Sign bits: pair-steps over all 7 nodes; worker 0 (5 units): 3 + 2 + 1 + 1 + 1 + 1 + 1 = 10 -> 2 bytes,
        // worker 1 (4 units): 2 + 1 + 1 + 1 + 1 + 1 + 1 = 8 -> 1 byte.
        long replyBytes = 2 * SignReply.HEADER_BYTES + 2 + 1;
        assertEquals(new OrderingStats(0, 5, reportBytes, 2, replyBytes), s.stats());
        run(s, drifting(4, dim), 1, Input.ARRAY);
        // Epoch 1 at depth 1: still two vectors per pair; epoch 2 at depth 0: one, as CD-GraB.
        assertEquals(10, s.stats().reports());
        assertEquals(2 * reportBytes, s.stats().reportBytes());
        run(s, drifting(4, dim), 1, Input.ARRAY);
        assertEquals(2 * reportBytes + 5 * (PairReport.HEADER_BYTES + vec), s.stats().reportBytes());
        assertEquals(s.communication().messages(), s.stats().messages());
    }

    @Test
    void nonFiniteGradientsFollowThePolicy() {
        double[] ok = {1, 2};
        double[] bad = {Double.NaN, 0};
        OrderingStrategy fail = config(2, 2).create(4, 3);
        fail.observe(0, 0, ok, 0, 2);
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> fail.observe(0, 1, bad, 0, 2));
        assertTrue(e.getMessage().contains("worker 0"), e.getMessage());
        fail.observe(0, 1, ok, 0, 2); // the refused step can be observed again: nothing changed

        OrderingStrategy skip = OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optDepth(2)
                .optNonFinitePolicy(NonFinitePolicy.SKIP).build().create(4, 3);
        for (int w = 0; w < 2; w++) {
            for (int t = 0; t < skip.units(w); t++) {
                skip.observe(w, t, w == 1 && t == 2 ? bad : new double[] {t, -w}, 0, 2);
            }
        }
        skip.endEpoch();
        assertEquals(1, skip.stats().skippedUnits());
        run(skip, drifting(3, 2), 2, Input.ARRAY);
        assertEquals(1, skip.stats().skippedUnits(), "later epochs balance against finite sums");
    }

    @Test
    void configurationOfTheDepth() {
        assertEquals(Kind.CD_GRAB_RECURSIVE, Kind.parse("cd-grab-recursive"));
        assertEquals(Kind.CD_GRAB_RECURSIVE, Kind.parse(" Pair-Recursive "));
        assertTrue(Kind.CD_GRAB_RECURSIVE.needsGradients());
        assertInstanceOf(RecursivePairBalance.class, OrderingConfig.of("pair-recursive", 1).create(3));
        assertEquals(OrderingConfig.DEFAULT_DEPTH, OrderingConfig.of("cd-grab-recursive", 1).depth());
        assertEquals(0, OrderingConfig.of("cd-grab", 1).depth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optDepth(11));
        assertTrue(e.getMessage().contains("11") && e.getMessage().contains("[0, 10]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optDepth(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OrderingConfig.builder(Kind.CD_GRAB).optDepth(2));
        assertTrue(e.getMessage().contains("cd-grab-recursive") && e.getMessage().contains("not cd-grab"), e.getMessage());
        OrderingConfig c = config(4, 5);
        assertTrue(c.toString().contains("depth=5"), c.toString());
        assertFalse(config(4, 5).equals(config(4, 6)));
        assertEquals(config(4, 5), config(4, 5));
        assertEquals(config(4, 5).hashCode(), config(4, 5).hashCode());
        assertEquals(5, c.withSeed(9).depth());
        assertEquals(5, c.create(2).copy().config().depth());
    }

    @Test
    void checkpointsOfAnotherDepthOrKindAreRefused() throws IOException {
        SyntheticGradients g = new SyntheticGradients(3, 3);
        byte[] checkpoint;
        try (OrderingStrategy s = config(1, 2).create(UNEVEN)) {
            g.runEpoch(s, SyntheticGradients.Input.DOUBLE_ARRAY);
            g.observe(s, SyntheticGradients.Input.DOUBLE_ARRAY, 0, 0);
            checkpoint = SyntheticGradients.save(s);
        }
        Object[][] targets = {
            {config(1, 3), "depth differs", "depth=2", "depth=3"},
            {OrderingConfig.builder(Kind.CD_GRAB).optSeed(1).build(), "kind differs", "cd-grab-recursive"},
        };
        for (Object[] t : targets) {
            try (OrderingStrategy target = ((OrderingConfig) t[0]).create(UNEVEN)) {
                IOException e = assertThrows(IOException.class, () -> target.restore(new ByteArrayInputStream(checkpoint)));
                for (int i = 1; i < t.length; i++) {
                    assertTrue(e.getMessage().contains((String) t[i]), e.getMessage());
                }
            }
        }
        try (OrderingStrategy same = config(1, 2).create(UNEVEN)) {
            SyntheticGradients.restore(same, checkpoint);
            assertEquals(1, same.epoch());
        }
    }
}
