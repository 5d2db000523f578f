package org.dgrab.core.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HerdingBoundTest {
    // Three vectors of dimension 2: (1,0), (0,2), (-4,1); mean (-1,1); centred c0=(2,-1), c1=(1,1), c2=(-3,0).
    private static final double[] V = {1, 0, 0, 2, -4, 1};

    @Test
    void singleSetHandComputed() {
        // [0,1,2]: (2,-1) (3,0) (0,0) -> 3
        assertEquals(3.0, HerdingBound.of(V, 2, new int[] {0, 1, 2}), 1e-12);
        // [2,0,1]: (-3,0) (-1,-1) (0,0) -> 3
        assertEquals(3.0, HerdingBound.of(V, 2, new int[] {2, 0, 1}), 1e-12);
        // [0,2,1]: (2,-1) (-1,-1) (0,0) -> 2
        assertEquals(2.0, HerdingBound.of(V, 2, new int[] {0, 2, 1}), 1e-12);
        // [1,2,0]: (1,1) (-2,1) (0,0) -> 2
        assertEquals(2.0, HerdingBound.of(V, 2, new int[] {1, 2, 0}), 1e-12);
        // One vector: centred to zero.
        assertEquals(0.0, HerdingBound.of(new double[] {5, -7}, 2, new int[] {0}), 0.0);
        // Dimension 1, norm is the absolute value: 3, -1, -2 (mean 0): running sums 3, 2, 0 or -2, -3, 0.
        assertEquals(3.0, HerdingBound.of(new double[] {3, -1, -2}, 1, new int[] {0, 1, 2}), 1e-12);
        assertEquals(3.0, HerdingBound.of(new double[] {3, -1, -2}, 1, new int[] {2, 1, 0}), 1e-12);
        assertEquals(2.0, HerdingBound.of(new double[] {3, -1, -2}, 1, new int[] {1, 0, 2}), 1e-12);
    }

    @Test
    void parallelHandComputedWithWorkersOfDifferentLengths() {
        // Worker 1: (1,1), (3,-1); mean (2,0); centred d0=(-1,1), d1=(1,-1).
        double[] v1 = {1, 1, 3, -1};
        // Orders [0,2,1] and [0,1]: t0: (2,-1)+(-1,1)=(1,0); t1: +(-3,0)+(1,-1)=(-1,-1); t2 (worker 1 done): +(1,1)=(0,0).
        assertEquals(1.0, HerdingBound.parallel(new double[][] {V, v1}, 2, new int[][] {{0, 2, 1}, {0, 1}}), 1e-12);
        // Orders [0,1,2] and [1,0]: t0: (2,-1)+(1,-1)=(3,-2); t1: +(1,1)+(-1,1)=(3,0); t2: +(-3,0)=(0,0).
        assertEquals(3.0, HerdingBound.parallel(new double[][] {V, v1}, 2, new int[][] {{0, 1, 2}, {1, 0}}), 1e-12);
        // Each worker is centred by its own mean: adding a constant to worker 1 changes nothing.
        double[] shifted = {101, -49, 103, -51};
        assertEquals(1.0, HerdingBound.parallel(new double[][] {V, shifted}, 2, new int[][] {{0, 2, 1}, {0, 1}}), 1e-12);
        // Three workers, one with a single vector (contributes zero after centring).
        assertEquals(1.0, HerdingBound.parallel(new double[][] {V, v1, {9, 9}}, 2,
                new int[][] {{0, 2, 1}, {0, 1}, {0}}), 1e-12);
        // With one worker, parallel equals of.
        assertEquals(HerdingBound.of(V, 2, new int[] {2, 0, 1}),
                HerdingBound.parallel(new double[][] {V}, 2, new int[][] {{2, 0, 1}}), 0.0);
    }

    @Test
    void parallelSumsAcrossWorkersBeforeTakingTheNorm() {
        // Two workers whose centred vectors cancel at every step: the parallel bound is 0, each alone is 1.
        double[] a = {1, -1};
        double[] b = {-1, 1};
        assertEquals(1.0, HerdingBound.of(a, 1, new int[] {0, 1}), 0.0);
        assertEquals(0.0, HerdingBound.parallel(new double[][] {a, b}, 1, new int[][] {{0, 1}, {0, 1}}), 0.0);
        assertEquals(2.0, HerdingBound.parallel(new double[][] {a, b}, 1, new int[][] {{0, 1}, {1, 0}}), 0.0);
    }

    @Test
    void rejectsInvalidInputs() {
        assertThrows(IllegalArgumentException.class, () -> HerdingBound.of(V, 0, new int[] {0, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> HerdingBound.of(V, -2, new int[] {0, 1, 2}));
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> HerdingBound.of(V, 2, new int[] {0, 1}));
        assertTrue(len.getMessage().contains("worker 0"), len.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HerdingBound.of(V, 3, new int[] {0, 1, 2}));
        IllegalArgumentException perm = assertThrows(IllegalArgumentException.class,
                () -> HerdingBound.of(V, 2, new int[] {0, 0, 2}));
        assertTrue(perm.getMessage().contains("permutation"), perm.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HerdingBound.of(V, 2, new int[] {0, 1, 3}));
        assertThrows(IllegalArgumentException.class,
                () -> HerdingBound.parallel(new double[][] {V}, 2, new int[][] {{0, 1, 2}, {0}}));
        assertThrows(IllegalArgumentException.class, () -> HerdingBound.parallel(new double[0][], 2, new int[0][]));
        IllegalArgumentException w1 = assertThrows(IllegalArgumentException.class,
                () -> HerdingBound.parallel(new double[][] {V, {1, 2, 3}}, 2, new int[][] {{0, 1, 2}, {0, 1}}));
        assertTrue(w1.getMessage().contains("worker 1"), w1.getMessage());
        IllegalArgumentException p1 = assertThrows(IllegalArgumentException.class,
                () -> HerdingBound.parallel(new double[][] {V, {1, 2, 3, 4}}, 2, new int[][] {{0, 1, 2}, {1, 1}}));
        assertTrue(p1.getMessage().contains("worker 1"), p1.getMessage());
    }
}
