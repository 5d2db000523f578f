package org.dgrab.core.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class HerdingMonitorTest {
    private static final int[] SHARDS = {5, 3};
    private static final int DIM = 3;

    /** Fixed per-unit vectors of every worker, row-major by unit id. */
    private static double[][] vectors(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] v = new double[SHARDS.length][];
        for (int w = 0; w < SHARDS.length; w++) {
            v[w] = new double[SHARDS[w] * DIM];
            for (int i = 0; i < v[w].length; i++) {
                v[w][i] = r.nextDouble(-1, 1);
            }
        }
        return v;
    }

    /** One epoch: every worker's units in the strategy's order, the gradient of a unit its fixed vector. */
    private static int[][] epoch(OrderingStrategy s, double[][] v, boolean asNdArray) {
        int[][] orders = new int[SHARDS.length][];
        for (int w = 0; w < SHARDS.length; w++) {
            orders[w] = s.order(w);
        }
        for (int t = 0; t < 5; t++) {
            for (int w = 0; w < SHARDS.length; w++) {
                if (t < SHARDS[w]) {
                    int off = orders[w][t] * DIM;
                    if (asNdArray) {
                        s.observe(w, t, Nd4j.createFromArray(java.util.Arrays.copyOfRange(v[w], off, off + DIM)));
                    } else {
                        s.observe(w, t, v[w], off, DIM);
                    }
                }
            }
        }
        s.endEpoch();
        return orders;
    }

    @Test
    void boundOfEachEpochIsTheParallelBoundOfItsOrdersOnTheObservedGradients() {
        double[][] v = vectors(1);
        for (String kind : new String[] {"d-rr", "cd-grab"}) {
            // The first gradient fixes array or ND4J input for the run: ND4J for cd-grab, arrays for d-rr.
            boolean nd = kind.equals("cd-grab");
            try (HerdingMonitor m = new HerdingMonitor(OrderingConfig.of(kind, 3).create(SHARDS))) {
                for (int e = 0; e < 3; e++) {
                    int[][] orders = epoch(m, v, nd);
                    assertEquals(HerdingBound.parallel(v, DIM, orders), m.lastBound(), 1e-12, kind + " epoch " + e);
                }
                assertEquals(3, m.bounds().size());
                assertTrue(m.bounds().stream().allMatch(b -> b > 0), kind + ": " + m.bounds());
            }
        }
    }

    @Test
    void ordersAreTheWrappedStrategysAndGradientsAreAskedForEvenByDrr() {
        double[][] v = vectors(2);
        try (OrderingStrategy plain = OrderingConfig.of("cd-grab", 5).create(SHARDS);
             HerdingMonitor watched = new HerdingMonitor(OrderingConfig.of("cd-grab", 5).create(SHARDS))) {
            for (int e = 0; e < 3; e++) {
                int[][] a = epoch(plain, v, false);
                int[][] b = epoch(watched, v, false);
                for (int w = 0; w < SHARDS.length; w++) {
                    assertArrayEquals(a[w], b[w], "epoch " + e + " worker " + w);
                }
            }
        }
        try (OrderingStrategy rr = OrderingConfig.of("d-rr", 0).create(SHARDS);
             HerdingMonitor m = new HerdingMonitor(OrderingConfig.of("d-rr", 0).create(SHARDS))) {
            assertFalse(rr.needsGradients());
            assertTrue(m.needsGradients());
            assertTrue(m.copy() instanceof HerdingMonitor);
        }
    }

    @Test
    void anEpochInterruptedByARestoreHasNoBound() throws IOException {
        double[][] v = vectors(3);
        try (HerdingMonitor m = new HerdingMonitor(OrderingConfig.of("d-rr", 1).create(SHARDS))) {
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            m.save(saved);
            m.restore(new ByteArrayInputStream(saved.toByteArray()));
            epoch(m, v, false);
            assertTrue(Double.isNaN(m.lastBound()), "restored epoch: " + m.bounds());
            epoch(m, v, false);
            assertTrue(m.lastBound() > 0, "the next full epoch is measured again: " + m.bounds());
        }
    }

    @Test
    void refusesStepsOutOfOrderAndChangingDimensions() {
        double[][] v = vectors(4);
        try (HerdingMonitor m = new HerdingMonitor(OrderingConfig.of("d-rr", 1).create(SHARDS))) {
            assertThrows(IllegalStateException.class, m::lastBound);
            m.observe(0, 0, v[0], 0, DIM);
            IllegalArgumentException skip = assertThrows(IllegalArgumentException.class,
                    () -> m.observe(0, 2, v[0], 0, DIM));
            assertTrue(skip.getMessage().contains("expected step 1"), skip.getMessage());
            IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                    () -> m.observe(0, 1, v[0], 0, DIM - 1));
            assertTrue(dim.getMessage().contains("expected " + DIM), dim.getMessage());
        }
    }
}
