package org.dgrab.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.dgrab.core.internal.random.Permutations;
import org.junit.jupiter.api.Test;

class FixedOrderTest {

    @Test
    void identityEveryEpochWhateverTheSeed() {
        for (long seed : new long[] {0, 1, -77}) {
            OrderingStrategy s = OrderingConfig.of("fixed", seed).create(6, 1, 9);
            assertInstanceOf(FixedOrder.class, s);
            assertFalse(s.needsGradients());
            for (int e = 0; e < 4; e++) {
                for (int w = 0; w < 3; w++) {
                    assertArrayEquals(Permutations.identity(s.units(w)), s.order(w), "seed " + seed + " epoch " + e);
                    for (int t = 0; t < s.units(w); t++) {
                        assertEquals(t, s.unitAt(w, t));
                    }
                }
                for (int t = 0; t < 6; t++) {
                    s.observe(0, t, new double[] {5 - t, t}, 0, 2);
                }
                s.endEpoch();
            }
        }
    }
}
