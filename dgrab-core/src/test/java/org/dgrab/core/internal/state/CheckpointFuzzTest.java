package org.dgrab.core.internal.state;

import static org.dgrab.core.fixtures.SyntheticGradients.orders;
import static org.dgrab.core.fixtures.SyntheticGradients.restore;
import static org.dgrab.core.fixtures.SyntheticGradients.save;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.fixtures.SyntheticGradients;
import org.dgrab.core.fixtures.SyntheticGradients.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Corrupted, truncated and extended checkpoints of every ordering: no restore may succeed with a changed state,
 * every failure is an {@link IOException} with a message and leaves the strategy exactly as it was, and nothing
 * waits or runs out of memory. Strategies are tiny so that every byte can be tried.
 */
class CheckpointFuzzTest {
    private static final int[] UNITS = {3, 2};
    private static final int DIM = 3;
    private static final int[] MASKS = {0x01, 0x80, 0xFF};
    /** Far below the 10-minute sign timeout that a CD-GraB worker with a corrupt coordinator would wait for. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            out.add(Arguments.of(OrderingConfig.builder(k).optSeed(3).build(), Input.DOUBLE_ARRAY));
        }
        out.add(Arguments.of(OrderingConfig.builder(Kind.CD_GRAB).optSeed(3).optSignRule(SignRule.probabilistic(0.5))
                .build(), Input.ND4J_FLOAT));
        out.add(Arguments.of(OrderingConfig.builder(Kind.MEAN_BALANCE).optSeed(3).optSketchDim(2).build(),
                Input.DOUBLE_ARRAY));
        out.add(Arguments.of(OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optSeed(3).optDepth(1)
                .optSignRule(SignRule.probabilistic(0.5)).build(), Input.ND4J_FLOAT));
        return out.stream();
    }

    /**
     * A strategy in the middle of epoch 1, fed so that CD-GraB's coordinator holds a pending report (worker 1's
     * pair before worker 0's) and worker 0 holds the first gradient of an open pair.
     */
    private static OrderingStrategy midEpoch(OrderingConfig cfg, SyntheticGradients g, Input in) {
        OrderingStrategy s = cfg.create(UNITS);
        g.runEpoch(s, in);
        g.observe(s, in, 1, 0);
        g.observe(s, in, 1, 1);
        g.observe(s, in, 0, 0);
        return s;
    }

    /**
     * A strategy that has observed every step of epoch 0 but not ended it: CD-GraB's coordinator has already opened
     * epoch 1, and the workers' signs wait to be collected.
     */
    private static OrderingStrategy epochComplete(OrderingConfig cfg, SyntheticGradients g, Input in) {
        OrderingStrategy s = cfg.create(UNITS);
        for (int w = 0; w < UNITS.length; w++) {
            for (int t = 0; t < UNITS[w]; t++) {
                g.observe(s, in, w, t);
            }
        }
        return s;
    }

    /** Finishes the current epoch from wherever each worker is, ends it, and runs one more; returns the orders. */
    private static int[][] continueRun(OrderingStrategy s, SyntheticGradients g, Input in) {
        for (int w = 0; w < s.workers(); w++) {
            for (int t = 0; t < s.units(w); t++) {
                try {
                    g.observe(s, in, w, t);
                } catch (IllegalArgumentException e) {
                    if (!e.getMessage().contains("already observed")) {
                        throw e;
                    }
                }
            }
        }
        s.endEpoch();
        g.runEpoch(s, in);
        return orders(s);
    }

    private static byte[] flip(byte[] b, int i, int mask) {
        byte[] c = b.clone();
        c[i] ^= (byte) mask;
        return c;
    }

    private static IOException refused(OrderingStrategy target, byte[] bytes, String what) {
        IOException e = assertThrows(IOException.class, () -> target.restore(new ByteArrayInputStream(bytes)), what);
        assertNotNull(e.getMessage(), what + ": " + e);
        assertFalse(e.getMessage().isBlank(), what);
        return e;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void noCorruptionRestoresAChangedState(OrderingConfig cfg, Input in) {
        assertTimeoutPreemptively(LIMIT, () -> {
            SyntheticGradients g = new SyntheticGradients(7, DIM);
            byte[] good;
            int[][] expectedNext;
            try (OrderingStrategy s = midEpoch(cfg, g, in)) {
                good = save(s);
                expectedNext = continueRun(s, g, in);
            }
            try (OrderingStrategy target = cfg.create(UNITS)) {
                // The target holds another state (fresh), so a restore that succeeds would show.
                byte[] before = save(target);
                int restored = 0;
                for (int i = 0; i < good.length; i++) {
                    for (int mask : MASKS) {
                        byte[] bad = flip(good, i, mask);
                        String what = cfg + ": byte " + i + " ^ 0x" + Integer.toHexString(mask);
                        try {
                            target.restore(new ByteArrayInputStream(bad));
                            restored++;
                            assertArrayEquals(good, save(target), what + " restored a changed state");
                            restore(target, before);
                        } catch (IOException e) {
                            assertNotNull(e.getMessage(), what + ": " + e);
                            assertArrayEquals(before, save(target), what + ": a failed restore changed the strategy");
                        }
                    }
                }
                assertEquals(0, restored, "the checksum catches every single-byte change");
                for (int cut = 0; cut < good.length; cut++) {
                    IOException e = refused(target, Arrays.copyOf(good, cut), cfg + " cut to " + cut + " bytes");
                    assertTrue(e.getMessage().contains(cut == 0 ? "empty" : "truncated: " + cut + " of "), e.getMessage());
                    assertArrayEquals(before, save(target), "cut to " + cut);
                }
                byte[] twice = Arrays.copyOf(good, 2 * good.length);
                System.arraycopy(good, 0, twice, good.length, good.length);
                for (byte[] extra : new byte[][] {Arrays.copyOf(good, good.length + 1), flip(Arrays.copyOf(good,
                        good.length + 1), good.length, 0xFF), Arrays.copyOf(good, good.length + 16), twice}) {
                    IOException e = refused(target, extra, cfg + " with " + (extra.length - good.length) + " bytes more");
                    assertTrue(e.getMessage().contains("trailing bytes after its end at byte " + good.length), e.getMessage());
                    assertArrayEquals(before, save(target));
                }
                // Still usable, and the good checkpoint continues exactly as the saved run did.
                restore(target, good);
                assertTrue(Arrays.deepEquals(expectedNext, continueRun(target, g, in)), cfg.toString());
            }
        });
    }

    /**
     * Sets the checksum right after a change, as a hostile or buggy writer would: the structural checks alone must
     * then refuse the state or accept one the strategy can run from (no wait for reports that never come, no
     * out-of-memory from a length field, no exception other than the documented ones).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void wellFormedButWrongStatesAreRefusedOrRunnable(OrderingConfig cfg, Input in) {
        assertTimeoutPreemptively(LIMIT, () -> {
            SyntheticGradients g = new SyntheticGradients(7, DIM);
            byte[] mid;
            byte[] complete;
            try (OrderingStrategy s = midEpoch(cfg, g, in); OrderingStrategy c = epochComplete(cfg, g, in)) {
                mid = save(s);
                complete = save(c);
            }
            try (OrderingStrategy target = cfg.create(UNITS)) {
                byte[] before = save(target);
                assertAllChangesRefusedOrRunnable(cfg, in, g, target, before, mid);
                assertAllChangesRefusedOrRunnable(cfg, in, g, target, before, complete);
            }
        });
    }

    private static void assertAllChangesRefusedOrRunnable(OrderingConfig cfg, Input in, SyntheticGradients g,
            OrderingStrategy target, byte[] before, byte[] good) {
        for (int i = StateFormat.HEADER_BYTES; i < good.length - StateFormat.TRAILER_BYTES; i++) {
            for (int mask : MASKS) {
                byte[] bad = withChecksum(flip(good, i, mask));
                String what = cfg + ": payload byte " + i + " ^ 0x" + Integer.toHexString(mask);
                try {
                    target.restore(new ByteArrayInputStream(bad));
                } catch (IOException e) {
                    assertNotNull(e.getMessage(), what + ": " + e);
                    assertTrue(e.getMessage().contains("byte") || e.getMessage().contains("configuration"),
                            what + ": message says where: " + e.getMessage());
                    assertArrayEquals(before, save(target), what + ": a failed restore changed the strategy");
                    continue;
                }
                assertRunnable(target, g, in, what);
                restore(target, before);
            }
        }
    }

    /** A state that was accepted saves and restores as itself and runs on without waiting. */
    private static void assertRunnable(OrderingStrategy s, SyntheticGradients g, Input in, String what) {
        byte[] accepted = save(s);
        try (OrderingStrategy copy = s.copy()) {
            restore(copy, accepted);
            assertArrayEquals(accepted, save(copy), what + ": an accepted state round-trips");
        }
        try {
            continueRun(s, g, in);
        } catch (NonFiniteGradientException e) {
            // A changed vector value may be NaN or infinite; refusing it then is the configured FAIL policy.
            assertTrue(e.getMessage().contains("worker"), e.getMessage());
        } catch (IllegalArgumentException e) {
            // A changed input description (kind, data type, dimension) is a valid state of another input.
            assertTrue(e.getMessage().contains("the first gradient"), what + ": " + e.getMessage());
        }
    }

    private static byte[] withChecksum(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - StateFormat.TRAILER_BYTES);
        ByteBuffer.wrap(b).putInt(b.length - StateFormat.TRAILER_BYTES, (int) crc.getValue());
        return b;
    }

    @Test
    void hugeDeclaredLengthsAllocateNothing() {
        OrderingConfig cfg = OrderingConfig.builder(Kind.CD_GRAB).build();
        byte[] good;
        try (OrderingStrategy s = midEpoch(cfg, new SyntheticGradients(1, DIM), Input.DOUBLE_ARRAY)) {
            good = save(s);
        }
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putInt(8, Integer.MAX_VALUE - 100);
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putInt(8, -1);
        try (OrderingStrategy target = cfg.create(UNITS)) {
            IOException e = refused(target, huge, "huge payload length");
            assertTrue(e.getMessage().contains("truncated: " + good.length + " of "), e.getMessage());
            e = refused(target, negative, "negative payload length");
            assertTrue(e.getMessage().contains("payload length -1"), e.getMessage());
        }
    }

    @Test
    void versionOneCheckpointsAreRefusedByVersion() {
        ByteBuffer v1 = ByteBuffer.allocate(64).putInt(StateFormat.MAGIC).putInt(1);
        try (OrderingStrategy target = OrderingConfig.builder(Kind.PAIR_BALANCE).build().create(UNITS)) {
            IOException e = refused(target, v1.array(), "version 1");
            assertTrue(e.getMessage().contains("version 1 is not supported"), e.getMessage());
        }
    }
}
