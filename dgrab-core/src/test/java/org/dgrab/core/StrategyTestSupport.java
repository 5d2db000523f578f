package org.dgrab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dgrab.core.internal.random.Permutations;
import org.dgrab.core.internal.random.SplitMix64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Drives strategies epoch by epoch and holds plain-Java reference models of the balancing orderings. */
final class StrategyTestSupport {
    private StrategyTestSupport() {
    }

    /** Gradient of a unit in an epoch. */
    interface Gradients {
        double[] of(int epoch, int worker, int unit);
    }

    /**
     * Per-unit gradients that drift a little from epoch to epoch (like a model that is training): a fixed base per
     * unit plus small epoch-dependent noise. Values are rounded to float so FLOAT inputs carry exactly the same data.
     */
    static Gradients drifting(long seed, int dim) {
        return (epoch, worker, unit) -> {
            SplitMix64 base = new SplitMix64(SplitMix64.derive(seed, worker, unit));
            SplitMix64 noise = new SplitMix64(SplitMix64.derive(seed, worker, unit, epoch));
            double[] g = new double[dim];
            for (int i = 0; i < dim; i++) {
                g[i] = (float) (base.nextGaussian() + 0.3 * noise.nextGaussian() + (i == 0 ? 0.5 : 0.0));
            }
            return g;
        };
    }

    /** How gradients are handed in. */
    enum Input {
        ARRAY, ND_DOUBLE, ND_FLOAT, ND_HALF
    }

    static void observe(OrderingStrategy s, int worker, int step, double[] g, Input in) {
        switch (in) {
            case ARRAY:
                // inside a larger array at an offset, as a simulation would hand them in
                double[] padded = new double[g.length + 3];
                Arrays.fill(padded, Double.NaN);
                System.arraycopy(g, 0, padded, 2, g.length);
                s.observe(worker, step, padded, 2, g.length);
                break;
            case ND_DOUBLE:
                s.observe(worker, step, Nd4j.createFromArray(g));
                break;
            case ND_FLOAT:
                s.observe(worker, step, Nd4j.createFromArray(g).castTo(DataType.FLOAT));
                break;
            case ND_HALF:
                s.observe(worker, step, Nd4j.createFromArray(g).castTo(DataType.HALF));
                break;
            default:
                throw new AssertionError(in);
        }
    }

    /** Observes every step of every worker (worker by worker) with the gradients of the visited units. */
    static void observeAll(OrderingStrategy s, Gradients g, Input in) {
        int e = s.epoch();
        for (int w = 0; w < s.workers(); w++) {
            for (int t = 0; t < s.units(w); t++) {
                observe(s, w, t, g.of(e, w, s.unitAt(w, t)), in);
            }
        }
    }

    /** @return copies of every worker's order */
    static int[][] orders(OrderingStrategy s) {
        int[][] o = new int[s.workers()][];
        for (int w = 0; w < o.length; w++) {
            o[w] = s.order(w);
        }
        return o;
    }

    /**
     * Runs {@code epochs} full epochs.
     *
     * @return the orders of epochs 0..epochs (so epochs + 1 entries), each checked to be a permutation
     */
    static List<int[][]> run(OrderingStrategy s, Gradients g, int epochs, Input in) {
        List<int[][]> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            out.add(checkedOrders(s));
            observeAll(s, g, in);
            s.endEpoch();
        }
        out.add(checkedOrders(s));
        return out;
    }

    static int[][] checkedOrders(OrderingStrategy s) {
        int[][] o = orders(s);
        for (int w = 0; w < o.length; w++) {
            assertEquals(s.units(w), o[w].length, "worker " + w);
            assertTrue(Permutations.isPermutation(o[w]), "epoch " + s.epoch() + " worker " + w + ": " + Arrays.toString(o[w]));
            for (int t = 0; t < o[w].length; t++) {
                assertEquals(o[w][t], s.unitAt(w, t));
            }
        }
        return o;
    }

    static void assertSameOrders(List<int[][]> expected, List<int[][]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int e = 0; e < expected.size(); e++) {
            for (int w = 0; w < expected.get(e).length; w++) {
                assertEquals(Arrays.toString(expected.get(e)[w]), Arrays.toString(actual.get(e)[w]), "epoch " + e + " worker " + w);
            }
        }
    }

    // ---- reference models (deterministic sign rule, plain doubles) --------------------------------------------

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** Greedy herding step: returns s in {+1,-1} and updates r += s d. */
    static int herd(double[] r, double[] d) {
        int s = dot(r, d) <= 0 ? 1 : -1;
        for (int i = 0; i < r.length; i++) {
            r[i] += s * d[i];
        }
        return s;
    }

    /** Collects a next order: fronts in arrival order, then the middle, then backs in reverse arrival order. */
    static final class NextOrder {
        final List<Integer> front = new ArrayList<>();
        final List<Integer> back = new ArrayList<>();
        Integer middle;

        void pair(int sign, int first, int second) {
            front.add(sign > 0 ? first : second);
            back.add(sign > 0 ? second : first);
        }

        int[] build(int m) {
            int[] o = new int[m];
            int i = 0;
            for (int u : front) {
                o[i++] = u;
            }
            if (middle != null) {
                o[i++] = middle;
            }
            for (int j = back.size() - 1; j >= 0; j--) {
                o[i++] = back.get(j);
            }
            assertEquals(m, i);
            return o;
        }
    }

    /** PairBalance of one worker: next order from this epoch's order and the gradients visited, step by step. */
    static int[] referencePairBalance(int[] order, double[][] byStep) {
        int m = order.length;
        double[] r = new double[byStep[0].length];
        NextOrder next = new NextOrder();
        for (int k = 0; 2 * k + 1 < m; k++) {
            next.pair(herd(r, minus(byStep[2 * k], byStep[2 * k + 1])), order[2 * k], order[2 * k + 1]);
        }
        if (m % 2 == 1) {
            herd(r, byStep[m - 1]);
            next.middle = order[m - 1];
        }
        return next.build(m);
    }

    /** CD-GraB: all workers' pair differences against one running sum, pair-step by pair-step, workers in id order. */
    static int[][] referenceCdGrab(int[][] orders, double[][][] byStep, int dim) {
        int n = orders.length;
        double[] r = new double[dim];
        NextOrder[] next = new NextOrder[n];
        int maxPairs = 0;
        for (int w = 0; w < n; w++) {
            next[w] = new NextOrder();
            maxPairs = Math.max(maxPairs, (orders[w].length + 1) / 2);
        }
        for (int k = 0; k < maxPairs; k++) {
            for (int w = 0; w < n; w++) {
                int m = orders[w].length;
                if (2 * k + 1 < m) {
                    next[w].pair(herd(r, minus(byStep[w][2 * k], byStep[w][2 * k + 1])), orders[w][2 * k], orders[w][2 * k + 1]);
                } else if (2 * k == m - 1) {
                    herd(r, byStep[w][2 * k]);
                    next[w].middle = orders[w][2 * k];
                }
            }
        }
        int[][] out = new int[n][];
        for (int w = 0; w < n; w++) {
            out[w] = next[w].build(orders[w].length);
        }
        return out;
    }

    /** Gradients of one epoch arranged by step: [worker][step][i]. */
    static double[][][] byStep(int[][] orders, Gradients g, int epoch) {
        double[][][] out = new double[orders.length][][];
        for (int w = 0; w < orders.length; w++) {
            out[w] = new double[orders[w].length][];
            for (int t = 0; t < orders[w].length; t++) {
                out[w][t] = g.of(epoch, w, orders[w][t]);
            }
        }
        return out;
    }
}
