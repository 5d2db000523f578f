package org.dgrab.core.internal.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PermutationsTest {

    /**
     * Upper 1e-6 quantiles of chi-square (scipy.stats.chi2.isf(1e-6, df)): a correct shuffle exceeds them about
     * once in a million runs, while a biased one (Sattolo's cycles only, the naive "swap with any j" shuffle, an
     * off-by-one bound) exceeds them by orders of magnitude at these sample sizes.
     */
    private static final double CHI2_23DF_P1E6 = 70.55;
    private static final double CHI2_3DF_P1E6 = 30.66;

    private static final int DRAWS = 48_000;

    @Test
    void identityAndIsPermutation() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, Permutations.identity(4));
        assertArrayEquals(new int[0], Permutations.identity(0));
        assertThrows(IllegalArgumentException.class, () -> Permutations.identity(-1));
        assertTrue(Permutations.isPermutation(new int[] {2, 0, 1}));
        assertTrue(Permutations.isPermutation(new int[0]));
        assertFalse(Permutations.isPermutation(new int[] {0, 0, 1}));
        assertFalse(Permutations.isPermutation(new int[] {0, 1, 3}));
        assertFalse(Permutations.isPermutation(new int[] {-1, 0, 1}));
    }

    @Test
    void shuffleWithOneStreamIsUniformOverAll24Permutations() {
        SplitMix64 rng = new SplitMix64(20240601L);
        int[][] draws = new int[DRAWS][];
        for (int i = 0; i < DRAWS; i++) {
            int[] p = Permutations.identity(4);
            Permutations.shuffle(p, rng);
            draws[i] = p;
        }
        assertUniformOver24(draws);
        assertUniformPerPosition(draws);
    }

    @Test
    void seededPermutationsAcrossEpochsAndWorkersAreUniform() {
        // The (seed, epoch, worker) streams are derived seeds; the permutations they give must also be uniform.
        int[][] byEpoch = new int[DRAWS][];
        int[][] byWorker = new int[DRAWS][];
        for (int i = 0; i < DRAWS; i++) {
            byEpoch[i] = Permutations.random(17, i, 3, 4);
            byWorker[i] = Permutations.random(17, 5, i, 4);
        }
        assertUniformOver24(byEpoch);
        assertUniformPerPosition(byEpoch);
        assertUniformOver24(byWorker);
        assertUniformPerPosition(byWorker);
    }

    private static void assertUniformOver24(int[][] draws) {
        Map<String, Integer> counts = new HashMap<>();
        for (int[] p : draws) {
            assertTrue(Permutations.isPermutation(p), Arrays.toString(p));
            counts.merge(Arrays.toString(p), 1, Integer::sum);
        }
        assertEquals(24, counts.size(), "every one of the 4! orders must occur: " + counts.keySet());
        double expected = draws.length / 24.0;
        double x2 = 0;
        for (int c : counts.values()) {
            x2 += (c - expected) * (c - expected) / expected;
        }
        assertTrue(x2 < CHI2_23DF_P1E6, "chi-square over 24 permutations " + x2 + " >= " + CHI2_23DF_P1E6 + ": " + counts);
    }

    private static void assertUniformPerPosition(int[][] draws) {
        int[][] at = new int[4][4];
        for (int[] p : draws) {
            for (int pos = 0; pos < 4; pos++) {
                at[pos][p[pos]]++;
            }
        }
        double expected = draws.length / 4.0;
        for (int pos = 0; pos < 4; pos++) {
            double x2 = 0;
            for (int v = 0; v < 4; v++) {
                x2 += (at[pos][v] - expected) * (at[pos][v] - expected) / expected;
            }
            assertTrue(x2 < CHI2_3DF_P1E6, "position " + pos + " not uniform, chi-square " + x2 + ": " + Arrays.toString(at[pos]));
        }
    }

    @Test
    void randomIsAPureFunctionOfSeedEpochWorker() {
        for (int e = 0; e < 5; e++) {
            for (int w = 0; w < 3; w++) {
                int[] a = Permutations.random(99, e, w, 50);
                assertTrue(Permutations.isPermutation(a));
                assertEquals(50, a.length);
                // recomputed later, after other draws, still the same
                Permutations.random(1, 2, 3, 50);
                assertArrayEquals(a, Permutations.random(99, e, w, 50));
            }
        }
    }

    @Test
    void differentEpochsWorkersAndSeedsGiveDifferentPermutations() {
        // 50! orders: a coincidence among these few dozen draws would mean the inputs are ignored.
        Set<String> seen = new HashSet<>();
        for (int e = 0; e < 6; e++) {
            for (int w = 0; w < 6; w++) {
                assertTrue(seen.add(Arrays.toString(Permutations.random(99, e, w, 50))), "repeat at epoch " + e + " worker " + w);
            }
        }
        for (long seed = 0; seed < 10; seed++) {
            assertTrue(seen.add(Arrays.toString(Permutations.random(seed * 1000 + 7, 0, 0, 50))), "repeat for seed " + seed);
        }
        assertFalse(Arrays.equals(Permutations.identity(50), Permutations.random(99, 0, 0, 50)));
    }

    @Test
    void randomHandlesTinyLengthsAndRejectsBadArguments() {
        assertArrayEquals(new int[0], Permutations.random(1, 0, 0, 0));
        assertArrayEquals(new int[] {0}, Permutations.random(1, 3, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Permutations.random(1, -1, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> Permutations.random(1, 0, -1, 4));
        assertThrows(IllegalArgumentException.class, () -> Permutations.random(1, 0, 0, -1));
    }

    @Test
    void shuffleIsReproducibleFromTheGeneratorState() {
        SplitMix64 a = new SplitMix64(5);
        SplitMix64 b = new SplitMix64(5);
        int[] p = Permutations.identity(30);
        int[] q = Permutations.identity(30);
        Permutations.shuffle(p, a);
        Permutations.shuffle(q, b);
        assertArrayEquals(p, q);
        assertTrue(Permutations.isPermutation(p));
        assertEquals(a.state(), b.state());
        int[] one = {0};
        long before = a.state();
        Permutations.shuffle(one, a);
        assertEquals(before, a.state(), "a one-element shuffle draws nothing");
    }
}
