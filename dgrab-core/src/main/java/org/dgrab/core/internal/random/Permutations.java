package org.dgrab.core.internal.random;

/**
 * Seeded permutations used by every strategy for random orders.
 *
 * <p>Orders are pure functions of (seed, epoch, worker), as in PyTorch's {@code DistributedSampler}, so that any
 * epoch's random order can be recomputed without replaying earlier epochs.
 */
public final class Permutations {
    private Permutations() {
    }

    /**
     * The identity permutation {@code 0, 1, ..., m-1}.
     *
     * @param m length, non-negative
     * @return a new array
     */
    public static int[] identity(int m) {
        if (m < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + m);
        }
        int[] p = new int[m];
        for (int i = 0; i < m; i++) {
            p[i] = i;
        }
        return p;
    }

    /**
     * A uniformly random permutation of {@code 0..m-1} determined by (seed, epoch, worker).
     *
     * @param seed   user seed
     * @param epoch  epoch, {@code >= 0}
     * @param worker worker id, {@code >= 0}
     * @param m      length, {@code >= 0}
     * @return a new array
     */
    public static int[] random(long seed, int epoch, int worker, int m) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (worker < 0) {
            throw new IllegalArgumentException("worker must be >= 0, got " + worker);
        }
        int[] p = identity(m);
        shuffle(p, new SplitMix64(Seeds.shuffle(seed, epoch, worker)));
        return p;
    }

    /**
     * Fisher–Yates shuffle in place. Each of the {@code m!} orders is equally likely: position {@code i} swaps with
     * a uniform {@code j} in {@code [0, i]} (inclusive, unlike Sattolo's variant, which only yields cycles).
     *
     * @param a   array to shuffle
     * @param rng generator
     */
    public static void shuffle(int[] a, SplitMix64 rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Checks that {@code p} is a permutation of {@code 0..p.length-1}.
     *
     * @param p candidate
     * @return true if every value appears exactly once
     */
    public static boolean isPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int v : p) {
            if (v < 0 || v >= p.length || seen[v]) {
                return false;
            }
            seen[v] = true;
        }
        return true;
    }
}
