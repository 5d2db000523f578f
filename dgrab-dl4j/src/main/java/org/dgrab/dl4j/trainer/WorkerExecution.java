package org.dgrab.dl4j.trainer;

import java.util.function.IntConsumer;

/**
 * How a step's workers run, one type per {@link ExecutionMode}: one after another on the training thread
 * ({@link Sequential}), or one thread each ({@link WorkerThreads}). Either way the workers' gradients are added to
 * the step's sum in worker order, so both give the same bits. Call order: {@link #step} per synchronous step,
 * {@link #close()} at the end.
 */
sealed interface WorkerExecution extends AutoCloseable permits WorkerExecution.Sequential, WorkerThreads {
    /**
     * Computes every worker's gradient and adds each to the step's sum, in worker order.
     *
     * @param compute       computes worker {@code w}'s gradient
     * @param add           adds worker {@code w}'s gradient to the step's sum
     * @param afterParallel run once after workers computed on other threads than the training one (so that listeners
     *                      reading the trained model's batch find the last worker's, as in sequential mode); not run
     *                      by the sequential mode, where the trained model already holds it
     */
    void step(IntConsumer compute, IntConsumer add, Runnable afterParallel);

    @Override
    void close();

    /** {@link ExecutionMode#SEQUENTIAL}: each worker computes and is added before the next one computes. */
    final class Sequential implements WorkerExecution {
        private final int workers;

        /** @param workers number of workers */
        Sequential(int workers) {
            this.workers = workers;
        }

        @Override
        public void step(IntConsumer compute, IntConsumer add, Runnable afterParallel) {
            // Interleaved on purpose: pipelines that reuse gradient arrays (lent replicas, the in-place sum) need
            // each gradient added before a later worker overwrites it.
            for (int w = 0; w < workers; w++) {
                compute.accept(w);
                add.accept(w);
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * @param mode    the execution mode
     * @param workers number of workers
     * @return the execution of that mode
     */
    static WorkerExecution of(ExecutionMode mode, int workers) {
        return mode == ExecutionMode.THREADED ? new WorkerThreads(workers) : new Sequential(workers);
    }
}
