package org.dgrab.core.internal.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * The derived seeds are part of the reproducibility contract: these are the values every release so far has used
 * (stream keys "SHUF", "SKET", "MEAN", "PAIR", "COOR"), so orders stay the same.
 */
class SeedsTest {

    @Test
    void derivedValuesAreThoseOrdersWerePinnedWith() {
        for (long seed : new long[] {0, 1, -7, Long.MAX_VALUE}) {
            assertEquals(SplitMix64.derive(seed, 0x5348_5546L, 3, 2), Seeds.shuffle(seed, 3, 2));
            assertEquals(SplitMix64.derive(seed, 0x534B_4554L, 100, 8), Seeds.sketch(seed, 100, 8));
            assertEquals(SplitMix64.derive(seed, 0x4D45_414EL, 5), Seeds.meanBalanceSigns(seed, 5));
            assertEquals(SplitMix64.derive(seed, 0x5041_4952L, 5), Seeds.pairBalanceSigns(seed, 5));
            assertEquals(SplitMix64.derive(seed, 0x434F_4F52L), Seeds.coordinatorSigns(seed));
        }
    }

    @Test
    void pairBalanceWorkerZeroSharesTheCoordinatorsStreamAndNoOtherStreamsMeet() {
        assertEquals(Seeds.coordinatorSigns(9), Seeds.pairBalanceSigns(9, 0));
        assertNotEquals(Seeds.pairBalanceSigns(9, 1), Seeds.meanBalanceSigns(9, 1));
        assertNotEquals(Seeds.meanBalanceSigns(9, 0), Seeds.coordinatorSigns(9));
        assertNotEquals(Seeds.shuffle(9, 0, 0), Seeds.shuffle(9, 0, 1));
        assertNotEquals(Seeds.shuffle(9, 0, 0), Seeds.shuffle(9, 1, 0));
    }
}
