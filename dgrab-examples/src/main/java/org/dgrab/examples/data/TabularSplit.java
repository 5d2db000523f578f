package org.dgrab.examples.data;

import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A {@link NumericCsv.Table} split at random into training and test rows by ND4J's
 * {@link DataSet#splitTestAndTrain(int, Random)}, standardised with statistics of the training rows
 * ({@link Standardizer}), as ND4J data sets: features {@code [N, F]} and one-hot labels {@code [N, K]}, FLOAT.
 *
 * @param train        training rows
 * @param test         test rows
 * @param standardizer the statistics, fitted on all training rows of the split (before {@code limitTrain})
 */
public record TabularSplit(DataSet train, DataSet test, Standardizer standardizer) {

    /**
     * Splits and standardises. The split depends only on the table, the fraction and the seed: ND4J shuffles the
     * rows with a seed drawn from {@code new Random(seed)} and holds out {@link #testRows} of them for testing (at
     * least one, and at least one training row remains).
     *
     * @param table      the table
     * @param fraction   share of test rows, in {@code (0, 1)}
     * @param seed       seed of the split
     * @param limitTrain keep only the first N training rows (in shuffled order), 0 for all
     * @param limitTest  keep only the first N test rows (in shuffled order), 0 for all
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
        int k = table.classes();
        double[] oneHot = new double[n * k];
        for (int i = 0; i < n; i++) {
            oneHot[i * k + table.labels()[i]] = 1;
        }
        // One type for both: ND4J's shuffle garbles the labels when they differ from the features' type.
        DataSet all = new DataSet(Nd4j.createFromArray(table.features()), Nd4j.create(oneHot, new long[] {n, k},
                DataType.DOUBLE));
        SplitTestAndTrain split = all.splitTestAndTrain(n - testRows(n, fraction), new Random(seed));
        Standardizer s = Standardizer.fit(split.getTrain().getFeatures());
        return new TabularSplit(standardised(split.getTrain(), s, limitTrain), standardised(split.getTest(), s, limitTest),
                s);
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

    /** The first {@code limit} rows (0: all), standardised, FLOAT. */
    private static DataSet standardised(DataSet d, Standardizer s, int limit) {
        int n = d.numExamples();
        int keep = limit > 0 && limit < n ? limit : n;
        return new DataSet(s.transform(d.getFeatures().get(NDArrayIndex.interval(0, keep), NDArrayIndex.all()))
                .castTo(DataType.FLOAT), d.getLabels().get(NDArrayIndex.interval(0, keep), NDArrayIndex.all())
                .castTo(DataType.FLOAT));
    }
}
