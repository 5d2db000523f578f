package org.dgrab.dl4j.iterator;

import java.util.Optional;
import java.util.Set;

/**
 * Tells whether the current thread is inside one of DL4J's training loops, and which. The drop-in iterators use it
 * only after something already looks wrong (a served batch whose gradient never arrived), to tell an untrained
 * pass ({@code evaluate}, {@code output}) from training that bypasses dgrab's listener, so the happy path never
 * pays for a stack walk.
 */
final class TrainingCaller {
    private static final Set<String> LOOPS = Set.of(
            "org.deeplearning4j.nn.multilayer.MultiLayerNetwork",
            "org.deeplearning4j.nn.graph.ComputationGraph",
            "org.deeplearning4j.parallelism.ParallelWrapper",
            "org.deeplearning4j.earlystopping.trainer.BaseEarlyStoppingTrainer");

    private TrainingCaller() {
    }

    /** @return the training loop on the current thread's stack (e.g. "ParallelWrapper.fit"), if any */
    static Optional<String> current() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getMethodName().startsWith("fit") && LOOPS.contains(f.getClassName()))
                .reduce((inner, outer) -> outer)
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName()));
    }
}
