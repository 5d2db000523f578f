package org.dgrab.core.internal.balance;

import org.dgrab.core.balance.SignRule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.dgrab.core.internal.random.SplitMix64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class BalancerTest {

    private static VectorBuffer vec(Supplier<VectorBuffer> kind, double... v) {
        VectorBuffer b = kind.get();
        b.setFrom(v);
        return b;
    }

    private static void handComputedSequence(Supplier<VectorBuffer> kind) {
        Balancer bal = new Balancer(SignRule.deterministic(), 0);
        assertNull(bal.runningSum());
        // r = (0,0);  d = (1,0):  <r,d> = 0  -> +1 (tie), r = (1,0)
        assertEquals(1, bal.balance(vec(kind, 1, 0)));
        assertArrayEquals(new double[] {1, 0}, bal.runningSum().toDoubleArray());
        // d = (1,1):  <r,d> = 1  -> -1, r = (0,-1)
        assertEquals(-1, bal.balance(vec(kind, 1, 1)));
        assertArrayEquals(new double[] {0, -1}, bal.runningSum().toDoubleArray());
        // d = (0,-2): <r,d> = 2  -> -1, r = (0,1)
        assertEquals(-1, bal.balance(vec(kind, 0, -2)));
        assertArrayEquals(new double[] {0, 1}, bal.runningSum().toDoubleArray());
        // d = (3,1):  <r,d> = 1  -> -1, r = (-3,0)
        assertEquals(-1, bal.balance(vec(kind, 3, 1)));
        assertArrayEquals(new double[] {-3, 0}, bal.runningSum().toDoubleArray());
        // d = (-1,0): <r,d> = 3  -> -1, r = (-2,0)
        assertEquals(-1, bal.balance(vec(kind, -1, 0)));
        assertArrayEquals(new double[] {-2, 0}, bal.runningSum().toDoubleArray());
        // d = (2,5):  <r,d> = -4 -> +1, r = (0,5)
        assertEquals(1, bal.balance(vec(kind, 2, 5)));
        assertArrayEquals(new double[] {0, 5}, bal.runningSum().toDoubleArray());

        // NaN or infinity: NOT_FINITE, sum unchanged
        assertEquals(Balancer.NOT_FINITE, bal.balance(vec(kind, Double.NaN, 0)));
        assertArrayEquals(new double[] {0, 5}, bal.runningSum().toDoubleArray());
        assertEquals(Balancer.NOT_FINITE, bal.balance(vec(kind, 1, Double.POSITIVE_INFINITY)));
        assertEquals(Balancer.NOT_FINITE, bal.balance(vec(kind, Double.NEGATIVE_INFINITY, 0)));
        assertArrayEquals(new double[] {0, 5}, bal.runningSum().toDoubleArray());
        // and it keeps working: d = (0,1): <r,d> = 5 -> -1, r = (0,4)
        assertEquals(-1, bal.balance(vec(kind, 0, 1)));
        assertArrayEquals(new double[] {0, 4}, bal.runningSum().toDoubleArray());

        VectorBuffer sum = bal.runningSum();
        bal.reset();
        assertSame(sum, bal.runningSum(), "reset reuses the buffer");
        assertArrayEquals(new double[] {0, 0}, bal.runningSum().toDoubleArray());
        // after reset the first sign is again a tie: +1
        assertEquals(1, bal.balance(vec(kind, 5, 5)));
        assertArrayEquals(new double[] {5, 5}, bal.runningSum().toDoubleArray());
    }

    @Test
    void handComputedSequenceOnArrays() {
        handComputedSequence(() -> new ArrayVectorBuffer(2));
    }

    @Test
    void handComputedSequenceOnNd4j() {
        handComputedSequence(() -> new NdVectorBuffer(DataType.DOUBLE, 2));
        handComputedSequence(() -> new NdVectorBuffer(DataType.FLOAT, 2));
        handComputedSequence(() -> new NdVectorBuffer(DataType.HALF, 2));
    }

    @Test
    void nonFiniteFirstVectorLeavesAZeroSum() {
        Balancer bal = new Balancer(SignRule.deterministic(), 0);
        assertEquals(Balancer.NOT_FINITE, bal.balance(vec(() -> new ArrayVectorBuffer(3), 1, Double.NaN, 2)));
        assertNotNull(bal.runningSum());
        assertArrayEquals(new double[3], bal.runningSum().toDoubleArray());
        bal.reset();
        new Balancer(SignRule.deterministic(), 0).reset(); // before any vector: no-op
    }

    @Test
    void nonFiniteDoesNotConsumeRandomness() {
        SignRule rule = SignRule.probabilistic(3.0);
        Balancer a = new Balancer(rule, 77);
        Balancer b = new Balancer(rule, 77);
        SplitMix64 data = new SplitMix64(1);
        for (int i = 0; i < 200; i++) {
            VectorBuffer d = vec(() -> new ArrayVectorBuffer(2), data.nextGaussian(), data.nextGaussian());
            if (i % 7 == 3) {
                assertEquals(Balancer.NOT_FINITE, b.balance(vec(() -> new ArrayVectorBuffer(2), Double.NaN, 1)));
            }
            assertEquals(a.balance(d), b.balance(d), "step " + i);
        }
        assertArrayEquals(a.runningSum().toDoubleArray(), b.runningSum().toDoubleArray());
        assertSame(rule, a.rule());
    }

    @Test
    void greedySignNeverGrowsTheSumMoreThanTheVector() {
        // ||r + s d||^2 = ||r||^2 + ||d||^2 + 2 s <r,d> <= ||r||^2 + ||d||^2 exactly when s = -sign(<r,d>).
        Balancer bal = new Balancer(SignRule.deterministic(), 0);
        SplitMix64 rng = new SplitMix64(2);
        double maxNorm2 = 0;
        for (int i = 0; i < 2000; i++) {
            double[] d = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            VectorBuffer db = vec(() -> new ArrayVectorBuffer(3), d);
            double before = bal.runningSum() == null ? 0 : bal.runningSum().dot(bal.runningSum());
            bal.balance(db);
            double after = bal.runningSum().dot(bal.runningSum());
            assertTrue(after <= before + db.dot(db) + 1e-9, "step " + i);
            maxNorm2 = Math.max(maxNorm2, after);
        }
        // The greedy walk stays bounded (a random walk of 2000 steps in 3-D would reach ||r||^2 ~ 6000).
        assertTrue(maxNorm2 < 100, "running sum grew to squared norm " + maxNorm2);
    }

    @Test
    void nullRuleThrows() {
        assertThrows(IllegalArgumentException.class, () -> new Balancer(null, 0));
    }
}
