/**
 * The synchronous data-parallel trainer ({@link org.dgrab.dl4j.trainer.DataParallelTrainer}): n workers, per-worker
 * shards and orders, gradients summed and applied through the model's own updater, per-epoch statistics and
 * checkpoints of model plus ordering state.
 */
package org.dgrab.dl4j.trainer;
