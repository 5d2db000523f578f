package org.dgrab.dl4j.trainer;

/**
 * How {@link DataParallelTrainer} runs its workers. Both modes give identical parameters and orders for models
 * without stochastic layers (dropout draws from per-thread generators).
 */
public enum ExecutionMode {
    /** Workers take turns on one model: least memory, and on a CPU the fastest. */
    SEQUENTIAL,
    /** One thread and one model replica per worker, gradients summed in worker order: for several devices. */
    THREADED
}
