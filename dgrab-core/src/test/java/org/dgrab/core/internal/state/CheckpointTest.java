package org.dgrab.core.internal.state;

import static org.dgrab.core.fixtures.SyntheticGradients.orders;
import static org.dgrab.core.fixtures.SyntheticGradients.restore;
import static org.dgrab.core.fixtures.SyntheticGradients.save;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.OrderingStats;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.fixtures.SyntheticGradients;
import org.dgrab.core.fixtures.SyntheticGradients.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoint restore-equivalence: a run that is saved at any point and continued in a fresh instance gives
 * exactly the orders of the uninterrupted run.
 */
class CheckpointTest {
    private static final int[] UNITS = {7, 4, 5};
    private static final int EPOCHS = 4;
    private static final int DIM = 6;
    private static final int TOTAL = 7 + 4 + 5;

    /**
     * Save points as (epoch, observations done in that epoch). Even epochs are fed round-robin, odd epochs worker by
     * worker in descending id order (so the CD-GraB coordinator holds pending reports mid-epoch).
     */
    private static final int[][] SAVE_POINTS = {
        {0, 0},      // before anything, input kind not yet known
        {0, 3},      // round-robin: step 0 of all workers: every worker holds the first gradient of a pair (odd)
        {1, 0},      // epoch boundary
        {1, 7},      // worker 2 done (3 pending reports), worker 1 at step 2 (even)
        {1, 8},      // worker 1 at step 3 (odd, first of a pair cached)
        {1, 12},     // worker 0 at step 3 (odd) in the canonical fast path
        {2, 6},      // round-robin: every worker at step 2 (even)
        {2, 9},      // round-robin: every worker at step 3 (odd)
        {2, TOTAL},  // every step observed, endEpoch not yet called
        {EPOCHS, 0}, // after the last epoch
    };
    /**
     * Fewer save points for sketched configurations: ND4J's scatter-add behind the sketch costs up to milliseconds
     * per call on a loaded CPU.
     */
    private static final int[][] SKETCH_SAVE_POINTS = {{0, 3}, {1, 7}, {2, 6}, {2, 9}};

    static Stream<Arguments> configs() {
        List<OrderingConfig> cfgs = new ArrayList<>();
        for (Kind k : Kind.values()) {
            cfgs.add(OrderingConfig.builder(k).optSeed(12).build());
            if (k.needsGradients()) {
                cfgs.add(OrderingConfig.builder(k).optSeed(12).optSignRule(SignRule.probabilistic(0.7)).build());
            }
        }
        cfgs.add(OrderingConfig.builder(Kind.CD_GRAB).optSeed(12).optSketchDim(3).build());
        cfgs.add(OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optSeed(12).optDepth(1).build());
        cfgs.add(OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optSeed(12).optDepth(4).optSketchDim(3).build());
        cfgs.add(OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(12).optSketchDim(3)
                .optSignRule(SignRule.probabilistic(0.7)).build());
        List<Arguments> out = new ArrayList<>();
        for (OrderingConfig c : cfgs) {
            for (Input in : Input.values()) {
                out.add(Arguments.of(c, in));
            }
        }
        return out.stream();
    }

    private static List<int[]> schedule(int epoch) {
        List<int[]> s = new ArrayList<>();
        if (epoch % 2 == 0) {
            for (int t = 0; t < 7; t++) {
                for (int w = 0; w < UNITS.length; w++) {
                    if (t < UNITS[w]) {
                        s.add(new int[] {w, t});
                    }
                }
            }
        } else {
            for (int w = UNITS.length - 1; w >= 0; w--) {
                for (int t = 0; t < UNITS[w]; t++) {
                    s.add(new int[] {w, t});
                }
            }
        }
        return s;
    }

    /** Drives a strategy from (epoch, index) up to (toEpoch, toIndex), recording orders at each new epoch. */
    private static void drive(OrderingStrategy s, SyntheticGradients g, Input in, int fromIndex, int toEpoch,
            int toIndex, int[][][] record) {
        int index = fromIndex;
        while (s.epoch() < toEpoch || (s.epoch() == toEpoch && index < toIndex)) {
            List<int[]> sched = schedule(s.epoch());
            int end = s.epoch() == toEpoch ? toIndex : sched.size();
            for (; index < end; index++) {
                int[] x = sched.get(index);
                g.observe(s, in, x[0], x[1]);
            }
            if (index == sched.size() && s.epoch() < toEpoch) {
                s.endEpoch();
                index = 0;
                if (record != null) {
                    record[s.epoch()] = orders(s);
                }
            }
        }
    }

    private static int[][][] uninterrupted(OrderingConfig cfg, SyntheticGradients g, Input in, OrderingStats[] stats) {
        int[][][] rec = new int[EPOCHS + 1][][];
        try (OrderingStrategy s = cfg.create(UNITS)) {
            rec[0] = orders(s);
            drive(s, g, in, 0, EPOCHS, 0, rec);
            stats[0] = s.stats();
        }
        return rec;
    }

    private static void assertSameFrom(int fromEpoch, int[][][] expected, int[][][] got, String what) {
        for (int e = fromEpoch; e <= EPOCHS; e++) {
            for (int w = 0; w < UNITS.length; w++) {
                assertArrayEquals(expected[e][w], got[e][w], what + ": epoch " + e + " worker " + w);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void restoredRunContinuesWithIdenticalOrders(OrderingConfig cfg, Input in) {
        SyntheticGradients g = new SyntheticGradients(33, DIM);
        OrderingStats[] stats = new OrderingStats[1];
        int[][][] expected = uninterrupted(cfg, g, in, stats);
        if (cfg.kind() == Kind.CD_GRAB || cfg.kind() == Kind.CD_GRAB_RECURSIVE) {
            assertTrue(stats[0].messages() > 0 && stats[0].bytes() > 0, stats[0].toString());
        }
        if (cfg.kind() != Kind.FIXED && cfg.kind() != Kind.SHUFFLE_ONCE) {
            assertTrue(!Arrays.deepEquals(expected[1], expected[EPOCHS]), "orders never changed");
        }
        Input other = in == Input.ND4J_FLOAT ? Input.DOUBLE_ARRAY : Input.ND4J_FLOAT;
        for (int[] p : cfg.sketchDim() > 0 ? SKETCH_SAVE_POINTS : SAVE_POINTS) {
            String what = cfg + " " + in + " saved at epoch " + p[0] + " after " + p[1] + " observations";
            int[][][] got = new int[EPOCHS + 1][][];
            byte[] checkpoint;
            try (OrderingStrategy b = cfg.create(UNITS)) {
                got[0] = orders(b);
                drive(b, g, in, 0, p[0], p[1], got);
                checkpoint = save(b);
                // Saving has no side effect: the saved run itself continues as the uninterrupted one.
                drive(b, g, in, p[1], EPOCHS, 0, got);
                assertSameFrom(0, expected, got, what + " (saving run)");
            }

            int[][][] restored = new int[EPOCHS + 1][][];
            try (OrderingStrategy c = cfg.create(UNITS)) {
                restore(c, checkpoint);
                assertEquals(p[0], c.epoch(), what);
                restored[p[0]] = orders(c);
                assertArrayEquals(checkpoint, save(c), what + ": a restored strategy saves the same checkpoint");
                drive(c, g, in, p[1], EPOCHS, 0, restored);
                assertSameFrom(p[0], expected, restored, what + " (fresh instance)");
                assertEquals(stats[0], c.stats(), what + ": counters");
            }

            // Restoring into a used instance (here one that ran two epochs on the other input kind) replaces
            // its whole state too.
            int[][][] reused = new int[EPOCHS + 1][][];
            try (OrderingStrategy d = cfg.create(UNITS)) {
                drive(d, g, other, 0, 2, 5, null);
                restore(d, checkpoint);
                reused[p[0]] = orders(d);
                drive(d, g, in, p[1], EPOCHS, 0, reused);
                assertSameFrom(p[0], expected, reused, what + " (used instance)");
            }
        }
    }

    private static OrderingStrategy midRun(OrderingConfig cfg) {
        OrderingStrategy s = cfg.create(UNITS);
        drive(s, new SyntheticGradients(1, DIM), Input.DOUBLE_ARRAY, 0, 1, 8, null);
        return s;
    }

    /** Asserts that the failed restore left {@code target} as it was: it continues like an untouched twin. */
    private static void assertUntouched(OrderingStrategy target, OrderingConfig cfg, int[] units) {
        try (OrderingStrategy twin = cfg.create(units)) {
            SyntheticGradients g = new SyntheticGradients(2, DIM);
            for (int e = 0; e < 2; e++) {
                g.runEpoch(target, Input.DOUBLE_ARRAY);
                g.runEpoch(twin, Input.DOUBLE_ARRAY);
                assertArrayEquals(save(twin), save(target));
                assertTrue(Arrays.deepEquals(orders(twin), orders(target)));
            }
        }
    }

    @Test
    void refusesCheckpointsOfOtherConfigurations() {
        OrderingConfig cd = OrderingConfig.builder(Kind.CD_GRAB).optSeed(1).build();
        byte[] checkpoint;
        try (OrderingStrategy s = midRun(cd)) {
            checkpoint = save(s);
        }
        Object[][] targets = {
            {cd.withSeed(2), UNITS, "seed=1", "seed=2"},
            {OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(1).build(), UNITS, "cd-grab", "id-grab-pair"},
            {OrderingConfig.builder(Kind.RANDOM_RESHUFFLING).optSeed(1).build(), UNITS, "cd-grab", "d-rr"},
            {OrderingConfig.builder(Kind.CD_GRAB).optSeed(1).optSignRule(SignRule.probabilistic(1)).build(), UNITS,
                "deterministic", "probabilistic(1.0)"},
            {OrderingConfig.builder(Kind.CD_GRAB).optSeed(1).optSketchDim(2).build(), UNITS, "cd-grab", "sketch=2"},
            {cd, new int[] {7, 4, 6}, "[7, 4, 5]", "[7, 4, 6]"},
            {cd, new int[] {7, 4}, "[7, 4, 5]", "[7, 4]"},
        };
        for (Object[] t : targets) {
            OrderingConfig cfg = (OrderingConfig) t[0];
            int[] units = (int[]) t[1];
            try (OrderingStrategy target = cfg.create(units)) {
                IOException e = assertThrows(IOException.class,
                        () -> target.restore(new ByteArrayInputStream(checkpoint)), cfg + " " + Arrays.toString(units));
                for (int i = 2; i < t.length; i++) {
                    assertTrue(e.getMessage().contains((String) t[i]),
                            "message '" + e.getMessage() + "' lacks '" + t[i] + "'");
                }
                assertEquals(0, target.epoch());
                assertUntouched(target, cfg, units);
            }
        }
        // The sign timeout does not affect orders, so it is not part of the check.
        try (OrderingStrategy target = OrderingConfig.builder(Kind.CD_GRAB).optSeed(1)
                .optSignTimeout(java.time.Duration.ofSeconds(3)).build().create(UNITS)) {
            restore(target, checkpoint);
            assertEquals(1, target.epoch());
        }
    }

    @Test
    void configurationIsStoredAsFieldsNotAsItsDescription() {
        OrderingConfig cfg = OrderingConfig.builder(Kind.MEAN_BALANCE).optSeed(5).optSignRule(SignRule.probabilistic(2))
                .optNonFinitePolicy(org.dgrab.core.NonFinitePolicy.SKIP).build();
        byte[] checkpoint;
        try (OrderingStrategy s = midRun(cfg)) {
            checkpoint = save(s);
        }
        String text = new String(checkpoint, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!text.contains(cfg.toString()) && !text.contains("seed="), "no description text in the checkpoint");
        assertTrue(text.contains(cfg.kind().id()), "the kind is stored by its id");
        OrderingConfig failing = OrderingConfig.builder(Kind.MEAN_BALANCE).optSeed(5)
                .optSignRule(SignRule.probabilistic(2)).build();
        try (OrderingStrategy target = failing.create(UNITS)) {
            IOException e = assertThrows(IOException.class, () -> target.restore(new ByteArrayInputStream(checkpoint)));
            assertTrue(e.getMessage().contains("nonFinite differs") && e.getMessage().contains("nonFinite=SKIP")
                    && e.getMessage().contains("nonFinite=FAIL"), e.getMessage());
        }
    }

    @Test
    void refusesForeignMagicAndUnsupportedVersions() {
        OrderingConfig cfg = OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(4).build();
        byte[] good;
        try (OrderingStrategy s = midRun(cfg)) {
            good = save(s);
        }
        assertEquals(StateFormat.MAGIC, java.nio.ByteBuffer.wrap(good).getInt(0));
        assertEquals(StateFormat.VERSION, java.nio.ByteBuffer.wrap(good).getInt(4));

        byte[] magic = good.clone();
        magic[0] ^= 0x55;
        byte[] newer = good.clone();
        java.nio.ByteBuffer.wrap(newer).putInt(4, StateFormat.VERSION + 1);
        byte[] zero = good.clone();
        java.nio.ByteBuffer.wrap(zero).putInt(4, 0);
        Object[][] cases = {
            {magic, "not a dgrab ordering checkpoint"},
            {newer, "version " + (StateFormat.VERSION + 1) + " is not supported"},
            {zero, "version 0 is not supported"},
            {new byte[0], null},
            {Arrays.copyOf(good, 6), null},
        };
        for (Object[] c : cases) {
            byte[] bytes = (byte[]) c[0];
            try (OrderingStrategy target = cfg.create(UNITS)) {
                IOException e = assertThrows(IOException.class, () -> target.restore(new ByteArrayInputStream(bytes)));
                if (c[1] != null) {
                    assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
                }
                assertUntouched(target, cfg, UNITS);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void truncatedCheckpointLeavesStrategyAsItWas(Kind kind) {
        OrderingConfig cfg = OrderingConfig.builder(kind).optSeed(4).build();
        SyntheticGradients g = new SyntheticGradients(1, DIM);
        byte[] good;
        int[][] expectedNext;
        try (OrderingStrategy s = midRun(cfg)) {
            good = save(s);
            drive(s, g, Input.DOUBLE_ARRAY, 8, 2, 0, null);
            expectedNext = orders(s);
        }
        try (OrderingStrategy target = cfg.create(UNITS)) {
            byte[] cut = Arrays.copyOf(good, good.length - 3);
            byte[] before = save(target);
            IOException e = assertThrows(IOException.class, () -> target.restore(new ByteArrayInputStream(cut)));
            assertTrue(e.getMessage().contains("truncated: " + cut.length + " of " + good.length + " bytes"),
                    e.getMessage());
            // Nothing was changed: the strategy is usable and holds exactly its state from before.
            assertEquals(0, target.epoch());
            assertArrayEquals(before, save(target));
            restore(target, good);
            drive(target, g, Input.DOUBLE_ARRAY, 8, 2, 0, null);
            assertTrue(Arrays.deepEquals(expectedNext, orders(target)));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void copyHasSameConfigurationAndFreshState(Kind kind) {
        OrderingConfig cfg = OrderingConfig.builder(kind).optSeed(8).build();
        SyntheticGradients g = new SyntheticGradients(5, DIM);
        try (OrderingStrategy s = cfg.create(UNITS); OrderingStrategy fresh = cfg.create(UNITS)) {
            g.runEpoch(s, Input.ND4J_FLOAT);
            g.runEpoch(s, Input.ND4J_FLOAT);
            g.observe(s, Input.ND4J_FLOAT, 0, 0);
            int[][] before = orders(s);
            byte[] state = save(s);
            try (OrderingStrategy c = s.copy()) {
                assertNotSame(s, c);
                assertEquals(cfg, c.config());
                assertEquals(cfg.toString(), c.config().toString());
                assertEquals(0, c.epoch());
                assertEquals(UNITS.length, c.workers());
                for (int w = 0; w < UNITS.length; w++) {
                    assertEquals(UNITS[w], c.units(w));
                }
                assertArrayEquals(save(fresh), save(c), "copy's state equals a fresh instance's");
                // A copy's input kind is not fixed yet, and running it does not touch the original.
                for (int e = 0; e < 2; e++) {
                    g.runEpoch(c, Input.DOUBLE_ARRAY);
                    g.runEpoch(fresh, Input.DOUBLE_ARRAY);
                    assertTrue(Arrays.deepEquals(orders(fresh), orders(c)));
                }
            }
            assertEquals(2, s.epoch());
            assertTrue(Arrays.deepEquals(before, orders(s)));
            assertArrayEquals(state, save(s));
        }
    }
}
