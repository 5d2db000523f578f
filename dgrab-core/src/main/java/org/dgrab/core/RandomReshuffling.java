package org.dgrab.core;

import org.dgrab.core.internal.random.Permutations;

/**
 * Random reshuffling (RR); with several workers, D-RR. Each worker's order in each epoch is a uniformly random
 * permutation that is a pure function of (seed, epoch, worker), like PyTorch's {@code DistributedSampler}, so
 * {@link #setEpoch(int)} can jump to any epoch. Ignores gradients.
 */
final class RandomReshuffling extends AbstractOrderingStrategy {

    /**
     * Built by {@link OrderingConfig#create(int...)}, the only way to get one.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#RANDOM_RESHUFFLING}
     * @param unitsPerWorker units of each worker
     */
    RandomReshuffling(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
    }

    /**
     * The order of one worker in one epoch, without any state.
     *
     * @param seed   seed
     * @param epoch  epoch, {@code >= 0}
     * @param worker worker, {@code >= 0}
     * @param units  number of units
     * @return the permutation
     */
    public static int[] permutation(long seed, int epoch, int worker, int units) {
        return Permutations.random(seed, epoch, worker, units);
    }

    /**
     * Jumps to epoch {@code e} (as {@code DistributedSampler.set_epoch}): {@link #epoch()} becomes {@code e} and
     * every worker's order becomes that epoch's permutation, with no step observed yet.
     *
     * @param e epoch, {@code >= 0}
     */
    public void setEpoch(int e) {
        seek(e, w -> permutation(config.seed(), e, w, units(w)));
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        int e = epoch() + 1;
        for (int w = 0; w < next.length; w++) {
            System.arraycopy(permutation(config.seed(), e, w, next[w].length), 0, next[w], 0, next[w].length);
        }
    }
}
