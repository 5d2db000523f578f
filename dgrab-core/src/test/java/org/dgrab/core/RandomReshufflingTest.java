package org.dgrab.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.dgrab.core.internal.random.Permutations;
import org.junit.jupiter.api.Test;

class RandomReshufflingTest {

    @Test
    void eachEpochIsThePermutationOfSeedEpochWorker() {
        OrderingStrategy s = OrderingConfig.of("d-rr", 42).create(10, 12, 3);
        assertInstanceOf(RandomReshuffling.class, s);
        assertFalse(s.needsGradients());
        Set<String> seen = new HashSet<>();
        for (int e = 0; e < 6; e++) {
            for (int w = 0; w < 3; w++) {
                int m = s.units(w);
                assertArrayEquals(Permutations.random(42, e, w, m), s.order(w), "epoch " + e + " worker " + w);
                assertArrayEquals(RandomReshuffling.permutation(42, e, w, m), s.order(w));
                if (w < 2) {
                    assertTrue(seen.add(w + Arrays.toString(s.order(w))), "epoch " + e + " repeats an order of worker " + w);
                }
            }
            s.endEpoch();
        }
        // workers with equally many units still get different orders
        OrderingStrategy t = OrderingConfig.of("rr", 42).createUniform(2, 20);
        assertFalse(Arrays.equals(t.order(0), t.order(1)));
    }

    @Test
    void setEpochJumpsToAnyEpoch() {
        RandomReshuffling s = (RandomReshuffling) OrderingConfig.of("rr", 7).create(9, 5);
        s.observe(0, 0, new double[] {1}, 0, 1);
        s.observe(0, 1, new double[] {1}, 0, 1);
        s.setEpoch(13);
        assertEquals(13, s.epoch());
        for (int w = 0; w < 2; w++) {
            assertArrayEquals(Permutations.random(7, 13, w, s.units(w)), s.order(w));
        }
        s.observe(0, 0, new double[] {1}, 0, 1); // steps restart at 0
        s.endEpoch();
        assertEquals(14, s.epoch());
        assertArrayEquals(Permutations.random(7, 14, 0, 9), s.order(0));
        // jumping back reproduces an earlier epoch of a run without jumps
        OrderingStrategy plain = OrderingConfig.of("rr", 7).create(9, 5);
        plain.endEpoch();
        plain.endEpoch();
        s.setEpoch(2);
        assertArrayEquals(plain.order(0), s.order(0));
        assertArrayEquals(plain.order(1), s.order(1));
        s.setEpoch(0);
        assertArrayEquals(OrderingConfig.of("rr", 7).create(9, 5).order(0), s.order(0));
        assertThrows(IllegalArgumentException.class, () -> s.setEpoch(-1));
        assertEquals(0, s.epoch());
        s.close();
        assertThrows(IllegalStateException.class, () -> s.setEpoch(3));
    }
}
