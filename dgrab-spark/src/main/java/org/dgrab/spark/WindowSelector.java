package org.dgrab.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * Picks one window of steps from each cached shard: partition {@code w} (worker {@code w}'s units, in unit-index
 * order) yields its units at positions {@code [from, to)} of worker {@code w}'s order for the epoch, which the
 * driver broadcasts once per epoch. A worker whose shard ends before {@code to} yields fewer (or none).
 *
 * <p>A unit is whatever the shard holds: a {@code DataSet} in memory, or the path of an exported {@code DataSet}
 * file, which DL4J's worker then loads ({@code fitPaths}). With {@code Repartition.Never} and one unit per step,
 * DL4J's parameter averaging worker fits exactly these units, in this order.
 *
 * @param <T> the unit: {@code DataSet} or {@code String} (a path)
 */
final class WindowSelector<T> implements Function2<Integer, Iterator<T>, Iterator<T>> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<int[][]> orders;
    private final int from;
    private final int to;

    /**
     * @param orders every worker's order of the epoch
     * @param from   first step of the window
     * @param to     end of the window (exclusive)
     */
    WindowSelector(Broadcast<int[][]> orders, int from, int to) {
        this.orders = orders;
        this.from = from;
        this.to = to;
    }

    @Override
    public Iterator<T> call(Integer partition, Iterator<T> units) {
        int[][] all = orders.value();
        if (partition >= all.length) {
            throw new IllegalStateException("partition " + partition + " has no worker: the ordering has "
                    + all.length + " workers, one per partition");
        }
        List<T> shard = new ArrayList<>();
        units.forEachRemaining(shard::add);
        int[] order = all[partition];
        if (shard.size() != order.length) {
            throw new IllegalStateException("partition " + partition + " holds " + shard.size() + " units, but worker "
                    + partition + "'s order has " + order.length + "; the training RDD changed after it was cached");
        }
        List<T> window = new ArrayList<>(Math.max(0, Math.min(to, order.length) - from));
        for (int t = from; t < Math.min(to, order.length); t++) {
            window.add(shard.get(order[t]));
        }
        return window.iterator();
    }
}
