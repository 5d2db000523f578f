package org.dgrab.examples.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Feature standardisation {@code (x - mean) / std} by ND4J's {@link NormalizerStandardize}, with mean and population
 * standard deviation fitted on the training rows only, so that nothing about the test rows leaks into training.
 *
 * <p>Two things {@code NormalizerStandardize} cannot do alone are done around it. It squares deviations (values
 * beyond about 1e154 overflow) and raises every standard deviation below 1e-5 to 1e-5 (a column such as
 * {@code 1000.000001, 1000.000002} would be squashed). So each column is first divided by a power of two that
 * brings it into {@code [-1, 1]}, centred on its mean, and divided by a second power of two that brings the
 * deviations into {@code [-1, 1]}: both divisions are exact, the standardised values are unchanged by them, and
 * the deviation of a non-constant column is then at least {@code 0.5 / sqrt(rows)}, far above the floor. And a
 * column that is constant on the training rows (up to rounding) carries no information the model could learn
 * from; it is mapped to 0 in every row, test rows included (dividing by its zero deviation would blow up test
 * values that differ, and the weight of such a column never gets a gradient in training).
 *
 * <p>Call order: {@link #fit} once, then {@link #transform} or {@link #apply} any number of times. Immutable after
 * fitting.
 */
public final class Standardizer {
    /**
     * A column whose rows all lie this close to their mean, relative to the mean's magnitude, counts as constant.
     * Relative only: features in units of 1e-300 vary as much as any others, and an absolute floor would zero them.
     */
    private static final double CONSTANT_TOLERANCE = 1e-12;

    private final INDArray scale;
    private final INDArray centre;
    private final INDArray spread;
    private final NormalizerStandardize normalizer;
    private final double[] mean;
    private final double[] std;
    private final boolean[] constant;

    private Standardizer(INDArray scale, INDArray centre, INDArray spread, boolean[] constant,
                         NormalizerStandardize normalizer) {
        this.scale = scale;
        this.centre = centre;
        this.spread = spread;
        this.constant = constant;
        this.normalizer = normalizer;
        int d = constant.length;
        mean = new double[d];
        std = new double[d];
        double[] m = normalizer.getMean().toDoubleVector();
        double[] s = normalizer.getStd().toDoubleVector();
        for (int j = 0; j < d; j++) {
            mean[j] = (centre.getDouble(j) + m[j] * spread.getDouble(j)) * scale.getDouble(j);
            std[j] = constant[j] ? 0 : s[j] * spread.getDouble(j) * scale.getDouble(j);
        }
    }

    /**
     * Fits mean and population standard deviation per column.
     *
     * @param rows training rows, all of the same length, at least one
     * @return the fitted standardiser
     */
    public static Standardizer fit(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows to fit on");
        }
        return fit(Nd4j.createFromArray(rows));
    }

    /**
     * Fits mean and population standard deviation per column.
     *
     * @param rows training rows {@code [N, F]}, finite, {@code N >= 1}; any floating-point type (fitted in double)
     * @return the fitted standardiser
     */
    public static Standardizer fit(INDArray rows) {
        if (rows.rank() != 2 || rows.size(0) < 1) {
            throw new IllegalArgumentException("need a matrix with at least one row, got shape "
                    + java.util.Arrays.toString(rows.shape()));
        }
        INDArray x = rows.castTo(DataType.DOUBLE);
        requireFinite(x);
        INDArray scale = powerOfTwoAbove(Transforms.abs(x, true).max(0));
        INDArray scaled = x.divRowVector(scale);
        INDArray centre = scaled.mean(0);
        INDArray deviations = scaled.subiRowVector(centre);
        INDArray maxDeviation = Transforms.abs(deviations, true).max(0);
        INDArray spread = powerOfTwoAbove(maxDeviation);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(new DataSet(deviations.diviRowVector(spread), null));
        boolean[] constant = new boolean[(int) x.size(1)];
        for (int j = 0; j < constant.length; j++) {
            double s = scale.getDouble(j);
            double largest = maxDeviation.getDouble(j) * s;
            constant[j] = !(largest > CONSTANT_TOLERANCE * Math.abs(centre.getDouble(j) * s));
        }
        return new Standardizer(scale, centre, spread, constant, normalizer);
    }

    /**
     * Refuses NaN and infinities by row and column: ND4J's column maximum skips NaN, so the scaling would not see
     * them. The sum is the cheap test; it also overflows for huge finite values, hence the search before refusing.
     */
    private static void requireFinite(INDArray x) {
        if (Double.isFinite(x.sumNumber().doubleValue())) {
            return;
        }
        double[][] v = x.toDoubleMatrix();
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[i].length; j++) {
                if (!Double.isFinite(v[i][j])) {
                    throw new IllegalArgumentException("row " + (i + 1) + ", column " + (j + 1) + " is " + v[i][j]
                            + "; standardisation needs finite values");
                }
            }
        }
    }

    /** Per column the power of two {@code p} with {@code v / p} in {@code [0.5, 1)}; 1 for 0, capped at 2^1023. */
    private static INDArray powerOfTwoAbove(INDArray v) {
        double[] p = new double[(int) v.length()];
        for (int j = 0; j < p.length; j++) {
            double a = v.getDouble(j);
            if (!Double.isFinite(a)) {
                throw new IllegalArgumentException("column " + (j + 1) + " has a value that is not finite");
            }
            p[j] = a == 0 ? 1 : Math.scalb(1.0, Math.min(Double.MAX_EXPONENT, Math.getExponent(a) + 1));
        }
        return Nd4j.createFromArray(p);
    }

    /**
     * Standardises rows.
     *
     * @param rows rows {@code [N, F]} of the fitted width
     * @return new DOUBLE rows: {@code (x - mean) / std}, 0 in constant columns
     */
    public INDArray transform(INDArray rows) {
        if (rows.rank() != 2 || rows.size(1) != constant.length) {
            throw new IllegalArgumentException("rows of shape " + java.util.Arrays.toString(rows.shape())
                    + ", fitted on " + constant.length + " columns");
        }
        INDArray z = rows.castTo(DataType.DOUBLE).divRowVector(scale).subiRowVector(centre).diviRowVector(spread);
        normalizer.transform(z);
        for (int j = 0; j < constant.length; j++) {
            if (constant[j]) {
                // assign, not multiply by 0: a test value far from a constant column's value may have overflowed.
                z.getColumn(j).assign(0);
            }
        }
        return z;
    }

    /**
     * Standardises rows.
     *
     * @param rows rows of the fitted width
     * @return new rows: {@code (x - mean) / std}, 0 in constant columns
     */
    public double[][] apply(double[][] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != constant.length) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, fitted on "
                        + constant.length);
            }
        }
        return rows.length == 0 ? new double[0][] : transform(Nd4j.createFromArray(rows)).toDoubleMatrix();
    }

    /** @return the training mean of each column */
    public double[] mean() {
        return mean.clone();
    }

    /** @return the training population standard deviation of each column, 0 for constant columns */
    public double[] std() {
        return std.clone();
    }

    /** @return which columns are constant on the training rows (mapped to 0) */
    public boolean[] constant() {
        return constant.clone();
    }

    /** @return number of constant columns */
    public int constantCount() {
        int n = 0;
        for (boolean c : constant) {
            if (c) {
                n++;
            }
        }
        return n;
    }
}
