package org.dgrab.examples.data;

/**
 * Feature standardisation {@code (x - mean) / std}, with mean and standard deviation fitted on the training rows
 * only, so that nothing about the test rows leaks into training.
 *
 * <p>A column that is constant on the training rows carries no information the model could learn from; it is
 * mapped to 0 in every row, test rows included (dividing by its zero deviation would blow up test values that
 * differ, and the weight of such a column never gets a gradient in training). Immutable.
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] std;
    private final boolean[] constant;

    private Standardizer(double[] mean, double[] std, boolean[] constant) {
        this.mean = mean;
        this.std = std;
        this.constant = constant;
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
        int d = rows[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        boolean[] constant = new boolean[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows.length;
        }
        // Two passes: the one-pass formula E[x^2] - E[x]^2 cancels badly for large values with small spread.
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                double c = r[j] - mean[j];
                std[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / rows.length);
            // Relative threshold: rounding leaves a tiny non-zero spread on columns that are constant in decimal.
            constant[j] = !(std[j] > 1e-12 * Math.max(1, Math.abs(mean[j])));
        }
        return new Standardizer(mean, std, constant);
    }

    /**
     * Standardises rows.
     *
     * @param rows rows of the fitted width
     * @return new rows: {@code (x - mean) / std}, 0 in constant columns
     */
    public double[][] apply(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double[] r = rows[i];
            if (r.length != mean.length) {
                throw new IllegalArgumentException("row " + i + " has " + r.length + " values, fitted on " + mean.length);
            }
            double[] o = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                o[j] = constant[j] ? 0 : (r[j] - mean[j]) / std[j];
            }
            out[i] = o;
        }
        return out;
    }

    /** @return the training mean of each column */
    public double[] mean() {
        return mean.clone();
    }

    /** @return the training population standard deviation of each column */
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
