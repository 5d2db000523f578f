package org.dgrab.dl4j.iterator;

/**
 * Who the ordering's workers of a drop-in iterator are, as {@link OrderedIteratorBuilder#optWorkers} or
 * {@link OrderedIteratorBuilder#optParallelWrapper} last set it: the two differ in how batches are made and dealt, not
 * just in a count, so each is a type of its own and the builder holds exactly one of them (the later call wins).
 */
sealed interface WorkerMode {
    /** The default: one worker, every batch its own. */
    WorkerMode ONE = new Simulated(1);

    /** @return the number of workers, {@code >= 1} */
    int workers();

    /**
     * Simulated synchronous data-parallel workers inside one model: each served batch joins every worker's next
     * examples, as one all-reduce step would compute them.
     *
     * @param workers number of workers, {@code >= 1}
     */
    record Simulated(int workers) implements WorkerMode {
        /** @throws IllegalArgumentException if {@code workers < 1} */
        public Simulated {
            if (workers < 1) {
                throw new IllegalArgumentException("number of workers must be >= 1, got " + workers);
            }
        }
    }

    /**
     * ParallelWrapper's workers: batch {@code j} is worker {@code j mod n}'s next batch, as ParallelWrapper deals them
     * round robin.
     *
     * @param workers ParallelWrapper's number of workers, {@code >= 1}
     */
    record ParallelWrapper(int workers) implements WorkerMode {
        /** @throws IllegalArgumentException if {@code workers < 1} */
        public ParallelWrapper {
            if (workers < 1) {
                throw new IllegalArgumentException("number of ParallelWrapper workers must be >= 1, got " + workers);
            }
        }
    }
}
