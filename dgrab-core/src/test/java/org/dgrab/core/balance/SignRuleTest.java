package org.dgrab.core.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dgrab.core.internal.random.SplitMix64;
import org.junit.jupiter.api.Test;

class SignRuleTest {

    @Test
    void deterministicIsPlusOneIffDotIsAtMostZero() {
        SignRule r = SignRule.deterministic();
        SplitMix64 rng = new SplitMix64(1);
        long before = rng.state();
        assertEquals(1, r.sign(-3.0, rng));
        assertEquals(1, r.sign(-Double.MIN_VALUE, rng));
        assertEquals(1, r.sign(0.0, rng), "a tie (dot == 0) gives +1");
        assertEquals(1, r.sign(-0.0, rng), "negative zero is a tie too");
        assertEquals(-1, r.sign(Double.MIN_VALUE, rng));
        assertEquals(-1, r.sign(7.5, rng));
        assertEquals(-1, r.sign(Double.MAX_VALUE, rng));
        assertEquals(1, r.sign(-Double.MAX_VALUE, rng));
        assertFalse(r.isRandom());
        assertEquals(before, rng.state(), "the deterministic rule draws no randomness");
        assertSame(r, SignRule.deterministic());
    }

    @Test
    void probabilisticIsReproducibleFromTheSeed() {
        SignRule r = SignRule.probabilistic(2.0);
        assertTrue(r.isRandom());
        int[] a = draw(r, 0.3, new SplitMix64(9), 500);
        int[] b = draw(r, 0.3, new SplitMix64(9), 500);
        int[] c = draw(r, 0.3, new SplitMix64(10), 500);
        assertTrue(java.util.Arrays.equals(a, b));
        assertFalse(java.util.Arrays.equals(a, c));
        SplitMix64 rng = new SplitMix64(9);
        long before = rng.state();
        r.sign(0.0, rng);
        assertNotEquals(before, rng.state(), "the probabilistic rule consumes randomness");
    }

    @Test
    void probabilisticDrawsOneDoubleOfSplitMix64PerSign() {
        // The rule takes the JDK's RandomGenerator; given dgrab's SplitMix64 it must consume exactly what it did when
        // it took SplitMix64 itself (one nextDouble per sign), or every probabilistic order would change.
        SignRule r = SignRule.probabilistic(1.0);
        SplitMix64 rng = new SplitMix64(5);
        SplitMix64 twin = new SplitMix64(5);
        for (int i = 0; i < 200; i++) {
            double dot = (i % 9 - 4) * 0.25;
            double p = Math.min(1.0, Math.max(0.0, 0.5 - dot / 2.0));
            assertEquals(twin.nextDouble() < p ? 1 : -1, r.sign(dot, rng), "draw " + i);
            assertEquals(twin.state(), rng.state(), "draw " + i);
        }
    }

    private static int[] draw(SignRule r, double dot, SplitMix64 rng, int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.sign(dot, rng);
            assertTrue(s[i] == 1 || s[i] == -1);
        }
        return s;
    }

    @Test
    void probabilisticClampsAtPlusMinusC() {
        double c = 1.5;
        SignRule r = SignRule.probabilistic(c);
        SplitMix64 rng = new SplitMix64(4);
        for (double dot : new double[] {-c, -c - 1e-9, -2 * c, -1e12}) {
            for (int i = 0; i < 2000; i++) {
                assertEquals(1, r.sign(dot, rng), "dot " + dot + " <= -c must always give +1");
            }
        }
        for (double dot : new double[] {c, c + 1e-9, 2 * c, 1e12}) {
            for (int i = 0; i < 2000; i++) {
                assertEquals(-1, r.sign(dot, rng), "dot " + dot + " >= c must always give -1");
            }
        }
    }

    @Test
    void probabilisticFrequencyIsHalfMinusDotOverTwoC() {
        double c = 4.0;
        SignRule r = SignRule.probabilistic(c);
        SplitMix64 rng = new SplitMix64(123);
        int n = 40_000;
        for (double dot : new double[] {0.0, 2.0, -2.4, 3.6, -0.4}) {
            double p = 0.5 - dot / (2 * c);
            int plus = 0;
            for (int i = 0; i < n; i++) {
                if (r.sign(dot, rng) == 1) {
                    plus++;
                }
            }
            // 6 standard errors: a correct rule essentially never fails; a reversed or unscaled one always does.
            double se = Math.sqrt(p * (1 - p) / n);
            assertEquals(p, (double) plus / n, 6 * se, "dot " + dot);
        }
    }

    @Test
    void badConstantsThrow() {
        for (double c : new double[] {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignRule.probabilistic(c),
                    "c = " + c);
            assertTrue(e.getMessage().contains(String.valueOf(c)), e.getMessage());
        }
        SignRule.probabilistic(Double.MIN_VALUE);
        SignRule.probabilistic(Double.MAX_VALUE);
    }

    @Test
    void parseAndToStringRoundTrip() {
        for (SignRule r : new SignRule[] {SignRule.deterministic(), SignRule.probabilistic(2.5), SignRule.probabilistic(1e-3),
                SignRule.probabilistic(1.0 / 3)}) {
            SignRule back = SignRule.parse(r.toString());
            assertEquals(r, back);
            assertEquals(r.hashCode(), back.hashCode());
            assertEquals(r.toString(), back.toString());
            assertEquals(r.isRandom(), back.isRandom());
        }
        assertEquals("deterministic", SignRule.deterministic().toString());
        assertEquals("probabilistic(2.5)", SignRule.probabilistic(2.5).toString());
        assertEquals(SignRule.probabilistic(2.5), SignRule.parse("  probabilistic(2.5) "));
        assertEquals(SignRule.deterministic(), SignRule.parse(" deterministic"));
        assertNotEquals(SignRule.probabilistic(2.5), SignRule.probabilistic(2.0));
        assertNotEquals(SignRule.deterministic(), SignRule.probabilistic(2.0));
        // the parsed constant behaves like the original: clamps at the same c
        SignRule parsed = SignRule.parse("probabilistic(0.5)");
        SplitMix64 rng = new SplitMix64(1);
        for (int i = 0; i < 200; i++) {
            assertEquals(-1, parsed.sign(0.5, rng));
        }
    }

    @Test
    void parseRejectsUnknownText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignRule.parse("greedy"));
        assertTrue(e.getMessage().contains("greedy") && e.getMessage().contains("deterministic")
                && e.getMessage().contains("probabilistic"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SignRule.parse("probabilistic(-1)"));
        assertThrows(IllegalArgumentException.class, () -> SignRule.parse("probabilistic(0)"));
        assertThrows(IllegalArgumentException.class, () -> SignRule.parse("probabilistic(abc)"));
        assertThrows(IllegalArgumentException.class, () -> SignRule.parse("probabilistic(1"));
        assertThrows(IllegalArgumentException.class, () -> SignRule.parse(""));
    }
}
