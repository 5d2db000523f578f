package org.dgrab.core;

import static org.dgrab.core.StrategyTestSupport.assertSameOrders;
import static org.dgrab.core.StrategyTestSupport.drifting;
import static org.dgrab.core.StrategyTestSupport.observe;
import static org.dgrab.core.StrategyTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.core.StrategyTestSupport.Gradients;
import org.dgrab.core.StrategyTestSupport.Input;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every strategy promises, checked for each kind. (A CD-GraB worker waits up to 10 minutes for its signs by
 * default; the timeout makes a protocol bug fail fast instead.)
 */
@Timeout(60)
class StrategyContractTest {

    private static final int[] SHARDS = {7, 4, 1, 6};
    private static final int DIM = 3;

    private static OrderingStrategy create(Kind kind, long seed, int... shards) {
        return OrderingConfig.builder(kind).optSeed(seed).build().create(shards);
    }

    private static IllegalArgumentException assertIae(org.junit.jupiter.api.function.Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyEpochIsAPermutationOfEachWorkersUnits(Kind kind) {
        OrderingStrategy s = create(kind, 11, SHARDS);
        assertEquals(kind, s.config().kind());
        assertEquals(SHARDS.length, s.workers());
        assertEquals(kind.needsGradients(), s.needsGradients());
        for (int w = 0; w < SHARDS.length; w++) {
            assertEquals(SHARDS[w], s.units(w));
        }
        for (Input in : Input.values()) {
            List<int[][]> orders = run(create(kind, 11, SHARDS), drifting(2, DIM), 5, in); // checks permutations
            assertEquals(6, orders.size());
        }
        run(s, drifting(2, DIM), 3, Input.ARRAY);
        assertEquals(3, s.epoch());
        int[] copy = s.order(0);
        copy[0] = -99;
        assertFalse(s.order(0)[0] == -99, "order() returns a copy");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sameSeedSameOrdersDifferentSeedDifferentOrders(Kind kind) {
        Gradients g = drifting(4, DIM);
        List<int[][]> a = run(create(kind, 21, SHARDS), g, 4, Input.ARRAY);
        assertSameOrders(a, run(create(kind, 21, SHARDS), g, 4, Input.ARRAY));
        List<int[][]> b = run(create(kind, 22, SHARDS), g, 4, Input.ARRAY);
        if (kind == Kind.FIXED) {
            assertSameOrders(a, b);
        } else {
            // worker 0 has 7 units: 7! = 5040 orders, and the test checks several epochs
            for (int e = 0; e < a.size(); e++) {
                assertFalse(Arrays.equals(a.get(e)[0], b.get(e)[0]) && Arrays.equals(a.get(e)[3], b.get(e)[3]),
                        kind + " epoch " + e + " ignores the seed");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void epochZeroIsTheSharedSeededPermutation(Kind kind) {
        OrderingStrategy s = create(kind, 99, SHARDS);
        for (int w = 0; w < SHARDS.length; w++) {
            int[] expected = kind == Kind.FIXED ? Permutations.identity(SHARDS[w]) : Permutations.random(99, 0, w, SHARDS[w]);
            assertArrayEquals(expected, s.order(w), kind + " worker " + w);
        }
        // with a sketch or another sign rule the start is the same too
        if (kind.needsGradients()) {
            OrderingStrategy t = OrderingConfig.builder(kind).optSeed(99).optSketchDim(2)
                    .optSignRule(org.dgrab.core.balance.SignRule.probabilistic(1)).build().create(SHARDS);
            for (int w = 0; w < SHARDS.length; w++) {
                assertArrayEquals(Permutations.random(99, 0, w, SHARDS[w]), t.order(w));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void badWorkerIdsAndStepsThrow(Kind kind) {
        OrderingStrategy s = create(kind, 1, SHARDS);
        double[] v = {1, 2, 3};
        assertIae(() -> s.order(-1), "-1");
        assertIae(() -> s.order(4), "4", "[0, 4)");
        assertIae(() -> s.units(4), "4");
        assertIae(() -> s.unitAt(4, 0), "4");
        assertIae(() -> s.unitAt(0, 7), "7");
        assertIae(() -> s.unitAt(0, -1), "-1");
        assertIae(() -> s.observe(-1, 0, v, 0, 3), "-1");
        assertIae(() -> s.observe(4, 0, Nd4j.createFromArray(v)), "4");
        // out of order (skipping ahead)
        assertIae(() -> s.observe(0, 1, v, 0, 3), "out of order", "expected step 0");
        s.observe(0, 0, v, 0, 3);
        // twice
        assertIae(() -> s.observe(0, 0, v, 0, 3), "already observed", "expected step 1");
        assertIae(() -> s.observe(0, 5, v, 0, 3), "out of order");
        // past the end
        for (int t = 1; t < 7; t++) {
            s.observe(0, t, v, 0, 3);
        }
        assertIae(() -> s.observe(0, 7, v, 0, 3), "endEpoch");
        assertIae(() -> s.observe(0, 0, v, 0, 3), "endEpoch");
        // the rejected calls changed nothing: the other workers still start at step 0
        s.observe(1, 0, v, 0, 3);
        assertEquals(0, s.epoch());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MEAN_BALANCE", "PAIR_BALANCE", "CD_GRAB", "CD_GRAB_RECURSIVE"})
    void gradientStrategiesNeedEveryStepBeforeEndEpoch(Kind kind) {
        Gradients g = drifting(5, DIM);
        List<int[][]> clean = run(create(kind, 3, SHARDS), g, 2, Input.ARRAY);
        OrderingStrategy s = create(kind, 3, SHARDS);
        assertThrows(IllegalStateException.class, s::endEpoch, "nothing observed");
        for (int w = 0; w < SHARDS.length; w++) {
            for (int t = 0; t < SHARDS[w] - (w == 3 ? 1 : 0); t++) {
                observe(s, w, t, g.of(0, w, s.unitAt(w, t)), Input.ARRAY);
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, s::endEpoch);
        assertTrue(e.getMessage().contains("worker 3") && e.getMessage().contains("5 of its 6"), e.getMessage());
        assertEquals(0, s.epoch());
        observe(s, 3, 5, g.of(0, 3, s.unitAt(3, 5)), Input.ARRAY);
        s.endEpoch();
        observe(s, 0, 0, g.of(1, 0, s.unitAt(0, 0)), Input.ARRAY);
        assertThrows(IllegalStateException.class, s::endEpoch);
        assertArrayEquals(clean.get(1)[0], s.order(0));
        assertArrayEquals(clean.get(1)[3], s.order(3));
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RANDOM_RESHUFFLING", "SHUFFLE_ONCE", "FIXED"})
    void gradientFreeStrategiesIgnoreObservations(Kind kind) {
        OrderingStrategy s = create(kind, 3, SHARDS);
        s.endEpoch(); // nothing observed: fine, gradients are not needed
        assertEquals(1, s.epoch());
        // any vector is accepted and discarded, as long as the steps are in order
        s.observe(0, 0, new double[] {Double.NaN}, 0, 1);
        s.observe(0, 1, Nd4j.zeros(DataType.FLOAT, 7));
        s.observe(0, 2, new double[] {1, 2}, 0, 2);
        s.endEpoch();
        // and the orders are those of a run without any observation
        OrderingStrategy t = create(kind, 3, SHARDS);
        t.endEpoch();
        t.endEpoch();
        for (int w = 0; w < SHARDS.length; w++) {
            assertArrayEquals(t.order(w), s.order(w));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MEAN_BALANCE", "PAIR_BALANCE", "CD_GRAB", "CD_GRAB_RECURSIVE"})
    void wrongDimensionTypeOrKindIsRejectedWithoutChangingState(Kind kind) {
        Gradients g = drifting(6, DIM);
        List<int[][]> clean = run(create(kind, 8, SHARDS), g, 2, Input.ND_FLOAT);
        OrderingStrategy s = create(kind, 8, SHARDS);
        for (int e = 0; e < 2; e++) {
            for (int w = 0; w < SHARDS.length; w++) {
                for (int t = 0; t < SHARDS[w]; t++) {
                    double[] v = g.of(e, w, s.unitAt(w, t));
                    if (e + t > 0) {
                        int step = t;
                        int worker = w;
                        assertIae(() -> s.observe(worker, step, Nd4j.zeros(DataType.FLOAT, DIM + 1)), "4 elements", "expected 3");
                        assertIae(() -> s.observe(worker, step, Nd4j.createFromArray(v)), "DOUBLE", "FLOAT");
                        assertIae(() -> s.observe(worker, step, v, 0, DIM), "double[]", "ND4J");
                        assertIae(() -> s.observe(worker, step, Nd4j.zeros(DataType.FLOAT, 2, 3)), "vector");
                    }
                    observe(s, w, t, v, Input.ND_FLOAT);
                }
            }
            s.endEpoch();
        }
        for (int w = 0; w < SHARDS.length; w++) {
            assertArrayEquals(clean.get(2)[w], s.order(w));
        }
        // the array path likewise refuses ND4J input once it has seen arrays
        OrderingStrategy a = create(kind, 8, SHARDS);
        a.observe(0, 0, new double[] {1, 2, 3}, 0, 3);
        assertIae(() -> a.observe(0, 1, Nd4j.createFromArray(1.0, 2.0, 3.0)), "double[]");
        assertIae(() -> a.observe(0, 1, new double[] {1, 2}, 0, 2), "2 elements", "expected 3");
        a.observe(0, 1, new double[] {0, 1, 2, 3}, 1, 3);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void useAfterCloseThrows(Kind kind) throws Exception {
        OrderingStrategy s = create(kind, 1, SHARDS);
        s.observe(0, 0, new double[] {1, 2, 3}, 0, 3);
        s.close();
        s.close(); // idempotent
        assertTrue(((AbstractOrderingStrategy) s).isClosed());
        assertThrows(IllegalStateException.class, () -> s.order(0));
        assertThrows(IllegalStateException.class, () -> s.unitAt(0, 0));
        assertThrows(IllegalStateException.class, () -> s.observe(0, 1, new double[] {1, 2, 3}, 0, 3));
        assertThrows(IllegalStateException.class, () -> s.observe(0, 1, Nd4j.createFromArray(1.0, 2.0, 3.0)));
        assertThrows(IllegalStateException.class, s::endEpoch);
        assertThrows(IllegalStateException.class, () -> s.save(new ByteArrayOutputStream()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.order(0));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void copyStartsFreshWithTheSameConfiguration(Kind kind) {
        OrderingStrategy s = create(kind, 12, SHARDS);
        List<int[][]> a = run(s, drifting(7, DIM), 2, Input.ARRAY);
        OrderingStrategy c = s.copy();
        assertNotSame(s, c);
        assertEquals(s.config(), c.config());
        assertEquals(0, c.epoch());
        assertEquals(SHARDS.length, c.workers());
        assertSameOrders(a, run(c, drifting(7, DIM), 2, Input.ARRAY));
        s.close();
        assertDoesNotThrow(() -> c.order(0), "closing the original does not close the copy");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void badShardsAreRejected(Kind kind) {
        OrderingConfig cfg = OrderingConfig.builder(kind).build();
        assertIae(cfg::create, "at least one worker");
        assertIae(() -> cfg.create((int[]) null), "at least one worker");
        assertIae(() -> cfg.create(3, 0, 2), "worker 1", "0 units");
        assertIae(() -> cfg.create(-2), "worker 0");
        assertIae(() -> cfg.createUniform(0, 3), "workers");
        assertIae(() -> cfg.createUniform(2, 0), "worker 0");
        assertEquals(3, cfg.createUniform(3, 5).workers());
        assertEquals(5, cfg.createUniform(3, 5).units(2));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void oneUnitPerWorker(Kind kind) {
        for (int[][] o : run(create(kind, 4, 1, 1, 1), drifting(1, DIM), 3, Input.ND_DOUBLE)) {
            for (int[] w : o) {
                assertArrayEquals(new int[] {0}, w);
            }
        }
    }
}
