package org.dgrab.core;


/**
 * Shuffle-once: each worker draws one seeded random order (epoch 0's, the same as every other strategy's first
 * epoch) and keeps it for all epochs. Ignores gradients.
 */
final class ShuffleOnce extends AbstractOrderingStrategy {

    /**
     * Built by {@link OrderingConfig#create(int...)}, the only way to get one.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#SHUFFLE_ONCE}
     * @param unitsPerWorker units of each worker
     */
    ShuffleOnce(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        for (int w = 0; w < next.length; w++) {
            System.arraycopy(current[w], 0, next[w], 0, next[w].length);
        }
    }
}
