package org.dgrab.core.diagnostics;

/**
 * Herding bounds: how far the running sums of centred vectors stray when the vectors are visited in a given order.
 * GraB-style orders make this small, and the convergence rate of the training they order improves with it.
 *
 * <p>Vectors are stored row-major in a {@code double[]} ({@code m} rows of {@code dim}); every bound is computed
 * on vectors centred by the mean of their own set (for the parallel bound: of their own worker), so the running
 * sum returns to zero at the end of the order.
 */
public final class HerdingBound {
    private HerdingBound() {
    }

    /**
     * {@code max over t of || sum_{s <= t} (v[order[s]] - mean) ||_inf}.
     *
     * @param vectors row-major vectors, {@code order.length * dim} values
     * @param dim     vector dimension
     * @param order   a permutation of the rows
     * @return the bound
     */
    public static double of(double[] vectors, int dim, int[] order) {
        return parallel(new double[][] {vectors}, dim, new int[][] {order});
    }

    /**
     * The parallel herding bound of {@code n} workers: at step {@code t} the running sum adds every worker's
     * centred vector of that step (workers whose order is shorter stop contributing), and the bound is the largest
     * infinity norm of that sum over all steps.
     *
     * @param vectors per worker, row-major vectors
     * @param dim     vector dimension
     * @param orders  per worker, a permutation of that worker's rows
     * @return the bound
     * @throws IllegalArgumentException if shapes disagree or an order is not a permutation
     */
    public static double parallel(double[][] vectors, int dim, int[][] orders) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dim);
        }
        if (vectors.length != orders.length || vectors.length == 0) {
            throw new IllegalArgumentException("need one order per worker: " + vectors.length + " vector sets, "
                    + orders.length + " orders");
        }
        int n = vectors.length;
        int steps = 0;
        double[][] means = new double[n][];
        for (int w = 0; w < n; w++) {
            int m = orders[w].length;
            if (vectors[w].length != (long) m * dim) {
                throw new IllegalArgumentException("worker " + w + " has " + vectors[w].length + " values, expected "
                        + m + " vectors of dimension " + dim);
            }
            if (!org.dgrab.core.internal.random.Permutations.isPermutation(orders[w])) {
                throw new IllegalArgumentException("order of worker " + w + " is not a permutation of 0.." + (m - 1));
            }
            means[w] = mean(vectors[w], dim, m);
            steps = Math.max(steps, m);
        }
        double[] sum = new double[dim];
        double bound = 0.0;
        for (int t = 0; t < steps; t++) {
            for (int w = 0; w < n; w++) {
                if (t >= orders[w].length) {
                    continue;
                }
                double[] v = vectors[w];
                double[] mu = means[w];
                int off = orders[w][t] * dim;
                for (int j = 0; j < dim; j++) {
                    sum[j] += v[off + j] - mu[j];
                }
            }
            for (int j = 0; j < dim; j++) {
                bound = Math.max(bound, Math.abs(sum[j]));
            }
        }
        return bound;
    }

    private static double[] mean(double[] v, int dim, int m) {
        double[] mu = new double[dim];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < dim; j++) {
                mu[j] += v[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mu[j] /= m;
        }
        return mu;
    }
}
