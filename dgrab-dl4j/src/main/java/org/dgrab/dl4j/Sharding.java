package org.dgrab.dl4j;

import org.dgrab.core.internal.random.Permutations;

/**
 * How examples are split over {@code n} workers. Every example goes to exactly one worker; shard sizes differ by
 * at most one.
 */
public enum Sharding {
    /** Worker {@code w} gets a contiguous block of example indices (the first {@code N mod n} blocks one longer). */
    CONTIGUOUS,
    /** Examples are permuted once with the seed, then cut into contiguous blocks. */
    SEEDED;

    /**
     * Splits {@code 0..size-1} over workers.
     *
     * @param size    number of examples
     * @param workers number of workers, {@code 1 <= workers <= size}
     * @param seed    seed (used by {@link #SEEDED})
     * @return per worker, its example indices (ascending for CONTIGUOUS)
     * @throws IllegalArgumentException with the counts, if there are fewer examples than workers
     */
    public int[][] split(int size, int workers, long seed) {
        if (workers < 1) {
            throw new IllegalArgumentException("number of workers must be >= 1, got " + workers);
        }
        if (size < workers) {
            throw new IllegalArgumentException("cannot split " + size + " examples over " + workers
                    + " workers: every worker needs at least one example");
        }
        int[] all = this == SEEDED ? Permutations.random(seed, 0, Integer.MAX_VALUE, size) : Permutations.identity(size);
        int[][] out = new int[workers][];
        int base = size / workers;
        int extra = size % workers;
        int pos = 0;
        for (int w = 0; w < workers; w++) {
            int len = base + (w < extra ? 1 : 0);
            out[w] = new int[len];
            System.arraycopy(all, pos, out[w], 0, len);
            pos += len;
        }
        return out;
    }
}
