package org.dgrab.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;

import org.dgrab.core.internal.random.Permutations;
import org.junit.jupiter.api.Test;

class ShuffleOnceTest {

    @Test
    void keepsTheEpochZeroOrderForever() {
        OrderingStrategy s = OrderingConfig.of("shuffle-once", 5).create(12, 7);
        assertInstanceOf(ShuffleOnce.class, s);
        int[] first0 = Permutations.random(5, 0, 0, 12);
        int[] first1 = Permutations.random(5, 0, 1, 7);
        assertFalse(Arrays.equals(Permutations.identity(12), first0), "the one order is shuffled");
        for (int e = 0; e < 6; e++) {
            assertArrayEquals(first0, s.order(0), "epoch " + e);
            assertArrayEquals(first1, s.order(1), "epoch " + e);
            for (int t = 0; t < 12; t++) {
                s.observe(0, t, new double[] {t}, 0, 1);
            }
            s.endEpoch();
        }
    }

    @Test
    void otherSeedOtherOrder() {
        OrderingStrategy a = OrderingConfig.of("shuffle-once", 1).create(12);
        OrderingStrategy b = OrderingConfig.of("shuffle-once", 2).create(12);
        a.endEpoch();
        b.endEpoch();
        assertFalse(Arrays.equals(a.order(0), b.order(0)));
    }
}
