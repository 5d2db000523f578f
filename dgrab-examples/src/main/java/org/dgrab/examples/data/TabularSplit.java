package org.dgrab.examples.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link NumericCsv.Table} split at random into training and test rows, standardised with statistics of the
 * training rows ({@link Standardizer}), as ND4J data sets: features {@code [N, F]} and one-hot labels
 * {@code [N, K]}, FLOAT.
 *
 * @param train        training rows
 * @param test         test rows
 * @param standardizer the statistics, fitted on all training rows of the split (before {@code limitTrain})
 */
public record TabularSplit(DataSet train, DataSet test, Standardizer standardizer) {

    /**
     * Splits and standardises. The split depends only on the row count, the fraction and the seed: a permutation
     * from {@code new Random(seed)} picks {@code round(fraction * rows)} test rows (at least one, and at least one
     * training row remains); both parts keep the file's row order.
     *
     * @param table      the table
     * @param fraction   share of test rows, in {@code (0, 1)}
     * @param seed       seed of the split
     * @param limitTrain keep only the first N training rows, 0 for all
     * @param limitTest  keep only the first N test rows, 0 for all
     * @return the split
     * @throws IllegalArgumentException if the table has fewer than 2 rows or the fraction is outside (0, 1)
     */
    public static TabularSplit of(NumericCsv.Table table, double fraction, long seed, int limitTrain, int limitTest) {
        int n = table.rows();
        if (n < 2) {
            throw new IllegalArgumentException(table.source() + " has " + n + " data row; a train/test split needs at least 2");
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("test fraction " + fraction + " outside (0, 1)");
        }
        int nTest = testRows(n, fraction);
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            perm.add(i);
        }
        Collections.shuffle(perm, new Random(seed));
        int[] test = perm.subList(0, nTest).stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] train = perm.subList(nTest, n).stream().mapToInt(Integer::intValue).sorted().toArray();
        double[][] trainRows = rows(table, train);
        Standardizer s = Standardizer.fit(trainRows);
        if (limitTrain > 0 && limitTrain < train.length) {
            train = Arrays.copyOf(train, limitTrain);
            trainRows = Arrays.copyOf(trainRows, limitTrain);
        }
        if (limitTest > 0 && limitTest < test.length) {
            test = Arrays.copyOf(test, limitTest);
        }
        return new TabularSplit(dataSet(s.apply(trainRows), table, train), dataSet(s.apply(rows(table, test)), table, test), s);
    }

    /**
     * Test rows of a split: {@code round(fraction * rows)}, clamped to {@code [1, rows - 1]}.
     *
     * @param rows     rows in the table, at least 2
     * @param fraction test fraction
     * @return number of test rows
     */
    public static int testRows(int rows, double fraction) {
        return (int) Math.max(1, Math.min(rows - 1, Math.round(fraction * rows)));
    }

    private static double[][] rows(NumericCsv.Table t, int[] idx) {
        double[][] r = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            r[i] = t.features()[idx[i]];
        }
        return r;
    }

    private static DataSet dataSet(double[][] features, NumericCsv.Table t, int[] idx) {
        int k = t.classes();
        float[][] f = new float[features.length][];
        float[][] l = new float[features.length][k];
        for (int i = 0; i < features.length; i++) {
            f[i] = new float[features[i].length];
            for (int j = 0; j < f[i].length; j++) {
                f[i][j] = (float) features[i][j];
            }
            l[i][t.labels()[idx[i]]] = 1f;
        }
        return new DataSet(Nd4j.create(f).castTo(DataType.FLOAT), Nd4j.create(l).castTo(DataType.FLOAT));
    }
}
