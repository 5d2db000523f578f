package org.dgrab.core.internal.random;

/**
 * The one place where the seeds of dgrab's random streams are derived from the configuration's seed. Every
 * purpose has its own stream key, so that streams never overlap, and two strategies that must agree (PairBalance
 * with one worker and CD-GraB) get the same seed by calling the same method rather than by reaching into each
 * other. Changing a key here changes orders: the derived values are part of the reproducibility contract.
 */
public final class Seeds {
    private static final long SHUFFLE_STREAM = 0x5348_5546L;
    private static final long SKETCH_STREAM = 0x534B_4554L;
    private static final long MEAN_SIGN_STREAM = 0x4D45_414EL;
    private static final long PAIR_SIGN_STREAM = 0x5041_4952L;
    private static final long COORDINATOR_STREAM = 0x434F_4F52L;
    private static final long TREE_NODE_STREAM = 0x5452_4545L;

    private Seeds() {
    }

    /**
     * @param seed   the configuration's seed
     * @param epoch  epoch
     * @param worker worker id
     * @return the seed of the random order of that worker in that epoch
     */
    public static long shuffle(long seed, int epoch, int worker) {
        return SplitMix64.derive(seed, SHUFFLE_STREAM, epoch, worker);
    }

    /**
     * @param seed     the configuration's seed
     * @param inputDim dimension of the vectors sketched
     * @param k        sketch dimension
     * @return the seed of the count-sketch's hash and sign tables
     */
    public static long sketch(long seed, int inputDim, int k) {
        return SplitMix64.derive(seed, SKETCH_STREAM, inputDim, k);
    }

    /**
     * @param seed   the configuration's seed
     * @param worker worker id
     * @return the seed of MeanBalance's sign generator of that worker
     */
    public static long meanBalanceSigns(long seed, int worker) {
        return SplitMix64.derive(seed, MEAN_SIGN_STREAM, worker);
    }

    /**
     * The seed of PairBalance's sign generator of a worker. Worker 0 shares the CD-GraB coordinator's stream, so
     * that one worker gives exactly CD-GraB's orders also under the probabilistic sign rule.
     *
     * @param seed   the configuration's seed
     * @param worker worker id
     * @return the seed
     */
    public static long pairBalanceSigns(long seed, int worker) {
        return worker == 0 ? coordinatorSigns(seed) : SplitMix64.derive(seed, PAIR_SIGN_STREAM, worker);
    }

    /**
     * @param seed the configuration's seed
     * @return the seed of the CD-GraB coordinator's sign generator
     */
    public static long coordinatorSigns(long seed) {
        return SplitMix64.derive(seed, COORDINATOR_STREAM);
    }

    /**
     * The seed of the sign generator of one node of recursive CD-GraB's tree. The root shares the CD-GraB
     * coordinator's stream, so that depth 0 gives exactly CD-GraB's orders also under the probabilistic sign rule.
     *
     * @param seed the configuration's seed
     * @param node heap index of the node (root 0)
     * @return the seed
     */
    public static long treeNodeSigns(long seed, int node) {
        return node == 0 ? coordinatorSigns(seed) : SplitMix64.derive(seed, TREE_NODE_STREAM, node);
    }
}
