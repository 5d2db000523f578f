package org.dgrab.core;

import org.dgrab.core.internal.random.Permutations;

/**
 * Fixed order: every worker visits its units as {@code 0, 1, ..., m-1} in every epoch. Ignores gradients and the
 * seed. Useful as a baseline and to check that training with dgrab equals training without it.
 */
final class FixedOrder extends AbstractOrderingStrategy {

    /**
     * Built by {@link OrderingConfig#create(int...)}, the only way to get one.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#FIXED}
     * @param unitsPerWorker units of each worker
     */
    FixedOrder(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
    }

    @Override
    protected int[] initialOrder(int worker) {
        return Permutations.identity(units(worker));
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        for (int w = 0; w < next.length; w++) {
            for (int i = 0; i < next[w].length; i++) {
                next[w][i] = i;
            }
        }
    }
}
