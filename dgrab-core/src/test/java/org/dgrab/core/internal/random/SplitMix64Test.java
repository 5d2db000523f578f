package org.dgrab.core.internal.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SplitMix64Test {

    /** Upper 1e-6 quantile of chi-square with 2 and 7 degrees of freedom: a correct generator essentially never exceeds it. */
    private static final double CHI2_2DF_P1E6 = 27.63;
    private static final double CHI2_7DF_P1E6 = 40.52;

    @Test
    void streamMatchesTheReferenceAlgorithm() {
        // Vigna's reference splitmix64.c, state 0: first outputs.
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
        // java.util.SplittableRandom(seed) runs the same algorithm with the golden gamma.
        for (long seed : new long[] {1, -7, 123456789L, Long.MIN_VALUE}) {
            SplitMix64 a = new SplitMix64(seed);
            SplittableRandom b = new SplittableRandom(seed);
            for (int i = 0; i < 100; i++) {
                assertEquals(b.nextLong(), a.nextLong(), "seed " + seed + " draw " + i);
            }
        }
    }

    @Test
    void sameSeedSameStreamAndStateRoundTrip() {
        SplitMix64 a = new SplitMix64(42);
        SplitMix64 b = new SplitMix64(42);
        for (int i = 0; i < 50; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        long saved = a.state();
        long[] expected = new long[20];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = a.nextLong();
        }
        SplitMix64 c = new SplitMix64(999);
        c.setState(saved);
        for (long e : expected) {
            assertEquals(e, c.nextLong());
        }
        assertNotEquals(new SplitMix64(1).nextLong(), new SplitMix64(2).nextLong());
    }

    @Test
    void nextIntStaysInBounds() {
        SplitMix64 r = new SplitMix64(7);
        int[] bounds = {1, 2, 3, 5, 7, 8, 16, 100, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE};
        for (int bound : bounds) {
            for (int i = 0; i < 2000; i++) {
                int v = r.nextInt(bound);
                assertTrue(v >= 0 && v < bound, v + " outside [0, " + bound + ")");
            }
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(0, r.nextInt(1));
        }
    }

    @Test
    void nextIntRejectsNonPositiveBound() {
        SplitMix64 r = new SplitMix64(7);
        long before = r.state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        assertTrue(e.getMessage().contains("bound"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(-5));
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(Integer.MIN_VALUE));
        assertEquals(before, r.state(), "a rejected call must not consume randomness");
    }

    @Test
    void nextIntIsUniformForPowerOfTwoAndOtherBounds() {
        assertUniform(3, 60_000, CHI2_2DF_P1E6);
        assertUniform(8, 80_000, CHI2_7DF_P1E6);
        // A large non-power-of-two bound exercises the rejection branch: 3 * 2^29 leaves a large incomplete block,
        // so without rejection the bottom third of values would be twice as likely as the rest.
        SplitMix64 r = new SplitMix64(11);
        int bound = 3 << 29;
        int n = 60_000;
        int[] thirds = new int[3];
        for (int i = 0; i < n; i++) {
            thirds[(int) (r.nextInt(bound) / (long) (1 << 29))]++;
        }
        assertTrue(chiSquare(thirds, n / 3.0) < CHI2_2DF_P1E6, java.util.Arrays.toString(thirds));
    }

    private static void assertUniform(int bound, int n, double critical) {
        SplitMix64 r = new SplitMix64(bound * 31L);
        int[] counts = new int[bound];
        for (int i = 0; i < n; i++) {
            counts[r.nextInt(bound)]++;
        }
        double x2 = chiSquare(counts, (double) n / bound);
        assertTrue(x2 < critical, "chi-square " + x2 + " for bound " + bound + ": " + java.util.Arrays.toString(counts));
    }

    static double chiSquare(int[] counts, double expected) {
        double s = 0;
        for (int c : counts) {
            s += (c - expected) * (c - expected) / expected;
        }
        return s;
    }

    @Test
    void nextDoubleAndGaussianHaveTheRightMoments() {
        SplitMix64 r = new SplitMix64(3);
        int n = 100_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            assertTrue(u >= 0.0 && u < 1.0);
            sum += u;
        }
        // mean of U(0,1): 0.5, standard error sqrt(1/12/n) ~ 0.0009
        assertEquals(0.5, sum / n, 0.006);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            assertTrue(Double.isFinite(g));
            s1 += g;
            s2 += g * g;
        }
        assertEquals(0.0, s1 / n, 0.02);
        assertEquals(1.0, s2 / n, 0.03);
    }

    @Test
    void deriveSeparatesStreams() {
        long base = SplitMix64.derive(5, 1, 2);
        assertEquals(base, SplitMix64.derive(5, 1, 2), "pure function");
        assertNotEquals(base, SplitMix64.derive(5, 2, 1), "order of keys matters");
        assertNotEquals(base, SplitMix64.derive(6, 1, 2));
        assertNotEquals(base, SplitMix64.derive(5, 1, 3));
        assertNotEquals(base, SplitMix64.derive(5, 1));
        assertNotEquals(SplitMix64.derive(5, 0), SplitMix64.derive(5, 0, 0));
        // mix is a bijection: distinct inputs, distinct outputs
        assertNotEquals(SplitMix64.mix(1), SplitMix64.mix(2));
        assertEquals(0L, SplitMix64.mix(0));
    }
}
