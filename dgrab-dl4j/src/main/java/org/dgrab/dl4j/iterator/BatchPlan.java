package org.dgrab.dl4j.iterator;

/**
 * How one epoch of the workers' orders is cut into the mini-batches an iterator serves. Each served batch is a
 * list of slices: a range of positions in one worker's order. The plan depends only on the number of units of
 * every worker, never on the orders themselves, so every epoch has the same batches.
 */
interface BatchPlan {

    /**
     * Positions {@code [from, to)} of worker {@code worker}'s order, which the strategy observes as steps
     * {@code from .. to-1}.
     *
     * @param worker worker id
     * @param from   first position
     * @param to     end position, exclusive
     */
    record Slice(int worker, int from, int to) {
    }

    /** @return batches per epoch */
    int batches();

    /**
     * @param batch batch index within the epoch, {@code [0, batches())}
     * @return the slices it is made of, in the order their examples appear in the batch
     */
    Slice[] slices(int batch);

    /**
     * The batches that must have been trained when batch {@code batch} is requested by a consumer that trains
     * synchronously (plain {@code fit}: the previous batch; ParallelWrapper: every batch of the previous round).
     *
     * @param batch batch about to be served
     * @return number of leading batches that must be trained by then
     */
    int trainedBefore(int batch);

    /**
     * @param units per worker, its number of units
     * @param per   units per worker and batch
     * @return batch {@code k} joins every worker's positions {@code [k*per, (k+1)*per)}: one synchronous
     *         data-parallel step of all workers inside one model's mini-batch
     */
    static BatchPlan joined(int[] units, int per) {
        return new JoinedPlan(units, per);
    }

    /**
     * @param units per worker, its number of units; must not increase with the worker id, so that the workers
     *              still active at any step are always workers {@code 0..k-1}
     * @param per   units per worker and batch
     * @return batch {@code j} is worker {@code j mod n}'s step {@code j / n}: what ParallelWrapper hands its
     *         {@code n} workers, round robin
     */
    static BatchPlan roundRobin(int[] units, int per) {
        return new RoundRobinPlan(units, per);
    }

    /**
     * @param units units
     * @param per   units per batch
     * @return steps needed for that many units
     */
    static int steps(int units, int per) {
        return (units + per - 1) / per;
    }
}
