package org.dgrab.dl4j.internal.data;

import java.util.Arrays;

/**
 * The units that get ordered: for every worker, a list of fixed groups of example indices. A unit is one example
 * for per-example granularities, or a fixed mini-batch (or micro-batch) cut once from the worker's shard for
 * batch granularity; the same units are ordered every epoch.
 */
public final class UnitLayout {
    private final int[][][] units;

    private UnitLayout(int[][][] units) {
        this.units = units;
    }

    /**
     * Cuts each worker's shard into consecutive groups of {@code unitSize} examples (the last group may be
     * smaller).
     *
     * @param shards   per worker, its example indices
     * @param unitSize examples per unit, {@code >= 1}
     * @return the layout
     * @throws IllegalArgumentException if there is no shard, a shard is empty or the unit size is below 1
     */
    public static UnitLayout of(int[][] shards, int unitSize) {
        if (unitSize < 1) {
            throw new IllegalArgumentException("unit size must be >= 1, got " + unitSize);
        }
        if (shards == null || shards.length == 0) {
            throw new IllegalArgumentException("a unit layout needs at least one worker's shard");
        }
        int[][][] u = new int[shards.length][][];
        for (int w = 0; w < shards.length; w++) {
            int m = (shards[w].length + unitSize - 1) / unitSize;
            if (m == 0) {
                throw new IllegalArgumentException("worker " + w + " has no examples");
            }
            u[w] = new int[m][];
            for (int j = 0; j < m; j++) {
                u[w][j] = Arrays.copyOfRange(shards[w], j * unitSize, Math.min(shards[w].length, (j + 1) * unitSize));
            }
        }
        return new UnitLayout(u);
    }

    /**
     * One worker whose units are given explicitly (e.g. the batches a wrapped iterator produced).
     *
     * @param units unit to example indices
     * @return the layout
     * @throws IllegalArgumentException if there are no units or a unit has no examples
     */
    public static UnitLayout single(int[][] units) {
        if (units == null || units.length == 0) {
            throw new IllegalArgumentException("a unit layout needs units; got no units");
        }
        for (int j = 0; j < units.length; j++) {
            if (units[j] == null || units[j].length == 0) {
                throw new IllegalArgumentException("unit " + j + " has no examples");
            }
        }
        return new UnitLayout(new int[][][] {units});
    }

    /** @return number of workers */
    public int workers() {
        return units.length;
    }

    /**
     * @param worker worker id
     * @return number of units of that worker
     */
    public int units(int worker) {
        return units[worker].length;
    }

    /** @return units per worker, for {@code OrderingConfig.create} */
    public int[] unitsPerWorker() {
        int[] m = new int[units.length];
        for (int w = 0; w < m.length; w++) {
            m[w] = units[w].length;
        }
        return m;
    }

    /**
     * @param worker worker id
     * @param unit   unit id
     * @return that unit's example indices (not a copy: do not modify)
     */
    public int[] examples(int worker, int unit) {
        return units[worker][unit];
    }

    /**
     * Concatenates the examples of several units.
     *
     * @param worker worker id
     * @param order  the worker's order of units
     * @param from   first position in the order
     * @param to     end position (exclusive)
     * @return example indices
     */
    public int[] examples(int worker, int[] order, int from, int to) {
        int n = 0;
        for (int p = from; p < to; p++) {
            n += units[worker][order[p]].length;
        }
        int[] out = new int[n];
        int k = 0;
        for (int p = from; p < to; p++) {
            int[] e = units[worker][order[p]];
            System.arraycopy(e, 0, out, k, e.length);
            k += e.length;
        }
        return out;
    }
}
