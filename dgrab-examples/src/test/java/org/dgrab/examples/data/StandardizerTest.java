package org.dgrab.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Standardisation with training statistics only ({@link Standardizer}). */
class StandardizerTest {

    @Test
    void statisticsComeFromTheFittedRowsOnly() {
        double[][] train = {{1, 10, 5}, {3, 10, 5}, {5, 10, 5}};
        Standardizer s = Standardizer.fit(train);
        assertArrayEquals(new double[] {3, 10, 5}, s.mean(), 0);
        // Population standard deviation: sqrt(((1-3)^2 + 0 + (5-3)^2) / 3) = sqrt(8/3).
        assertEquals(Math.sqrt(8.0 / 3), s.std()[0], 1e-12);
        assertArrayEquals(new boolean[] {false, true, true}, s.constant());
        assertEquals(2, s.constantCount());
        double[][] z = s.apply(train);
        assertArrayEquals(new double[] {-2 / Math.sqrt(8.0 / 3), 0, 0}, z[0], 1e-12);
        // Test rows use the training statistics: 7 -> (7 - 3) / sqrt(8/3), not their own mean; constant training
        // columns become 0 even where the test value differs.
        double[][] test = s.apply(new double[][] {{7, 99, -1}});
        assertArrayEquals(new double[] {4 / Math.sqrt(8.0 / 3), 0, 0}, test[0], 1e-12);
        // A column constant up to rounding counts as constant.
        assertTrue(Standardizer.fit(new double[][] {{0.1 + 0.2}, {0.3}}).constant()[0]);
        assertThrows(IllegalArgumentException.class, () -> s.apply(new double[][] {{1, 2}}));
    }

    @Test
    void hugeAndTinyValuesStandardiseExactlyAsSmallOnes() {
        // Squaring raw values overflows beyond ~1e154 (and underflows below ~1e-154): the columns below would come
        // out as zeros, NaN or "constant" without the power-of-two scaling in front of ND4J's statistics.
        double[][] train = {
                {1e300, -1e300, 1e300, 1e-300, -Double.MAX_VALUE},
                {3e300, 1e300, 1e300, 3e-300, Double.MAX_VALUE},
                {5e300, 1e300, 1e300, 5e-300, 0}};
        Standardizer s = Standardizer.fit(train);
        assertArrayEquals(new boolean[] {false, false, true, false, false}, s.constant(),
                "only the truly constant column is constant");
        assertEquals(3e300, s.mean()[0], 1e286);
        assertEquals(Math.sqrt(8.0 / 3) * 1e300, s.std()[0], 1e286);
        assertEquals(Math.sqrt(8.0 / 3) * 1e-300, s.std()[3], 1e-314);
        double[][] z = s.apply(train);
        double a = 2 / Math.sqrt(8.0 / 3);
        double b = Math.sqrt(2);
        double[][] expected = {{-a, -b, 0, -a, -Math.sqrt(1.5)}, {0, b / 2, 0, 0, Math.sqrt(1.5)}, {a, b / 2, 0, a, 0}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                assertTrue(Double.isFinite(z[i][j]), "row " + i + " column " + j + " is " + z[i][j]);
            }
            assertArrayEquals(expected[i], z[i], 1e-12, "row " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(new double[][] {{1}, {Double.NaN}}));
    }
}
