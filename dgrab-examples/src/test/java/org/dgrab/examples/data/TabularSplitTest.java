package org.dgrab.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The seeded train/test split of {@link TabularSplit}, standardised with training statistics only. */
class TabularSplitTest {

    private static NumericCsv.Table table(int rows) throws IOException {
        StringBuilder csv = new StringBuilder("x,c,y\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(",7,").append(i % 2).append('\n');
        }
        return NumericCsv.parse(new BufferedReader(new StringReader(csv.toString())), "t.csv", null, 0);
    }

    private static Set<Integer> rowIds(INDArray features, double mean, double std) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < features.rows(); i++) {
            ids.add((int) Math.round(features.getDouble(i, 0) * std + mean));
        }
        return ids;
    }

    @Test
    void theSplitIsSeededDisjointAndStandardisedWithTrainingStatistics() throws IOException {
        NumericCsv.Table t = table(50);
        TabularSplit a = TabularSplit.of(t, 0.2, 3, 0, 0);
        assertEquals(40, a.train().numExamples());
        assertEquals(10, a.test().numExamples());
        Standardizer s = a.standardizer();
        Set<Integer> train = rowIds(a.train().getFeatures(), s.mean()[0], s.std()[0]);
        Set<Integer> test = rowIds(a.test().getFeatures(), s.mean()[0], s.std()[0]);
        assertEquals(40, train.size());
        assertEquals(10, test.size());
        train.retainAll(test);
        assertTrue(train.isEmpty(), "train and test rows are disjoint");
        // Training features have mean 0 and standard deviation 1; the constant column is 0 everywhere.
        assertEquals(0, a.train().getFeatures().getColumn(0).meanNumber().doubleValue(), 1e-6);
        assertEquals(1, a.train().getFeatures().getColumn(0).std(false, 0).getDouble(0), 1e-5);
        assertEquals(0, a.test().getFeatures().getColumn(1).amaxNumber().doubleValue(), 0);
        assertEquals(1, s.constantCount());
        // Labels are one-hot.
        assertArrayEquals(new long[] {10, 2}, a.test().getLabels().shape());
        assertEquals(10, a.test().getLabels().sumNumber().intValue());

        // Same seed, same split; another seed, another split.
        assertEquals(a.test().getFeatures(), TabularSplit.of(t, 0.2, 3, 0, 0).test().getFeatures());
        assertNotEquals(a.test().getFeatures(), TabularSplit.of(t, 0.2, 4, 0, 0).test().getFeatures());
        // Limits keep the first rows and do not change the statistics.
        TabularSplit l = TabularSplit.of(t, 0.2, 3, 5, 2);
        assertEquals(5, l.train().numExamples());
        assertEquals(2, l.test().numExamples());
        assertArrayEquals(s.mean(), l.standardizer().mean(), 0);
    }

    @Test
    void tinyTablesKeepAtLeastOneRowOnEachSide() throws IOException {
        assertEquals(1, TabularSplit.testRows(2, 0.01));
        assertEquals(1, TabularSplit.testRows(2, 0.99));
        assertEquals(2, TabularSplit.testRows(10, 0.2));
        TabularSplit s = TabularSplit.of(table(2), 0.5, 0, 0, 0);
        assertEquals(1, s.train().numExamples());
        assertEquals(1, s.test().numExamples());
        assertThrows(IllegalArgumentException.class, () -> TabularSplit.of(table(2), 1.0, 0, 0, 0));
    }
}
