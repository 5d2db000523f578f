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

    /** Methods of the models that pass over data without training it, also when a listener calls them inside fit. */
    private static final Set<String> PASSES = Set.of("doEvaluation", "doEvaluationHelper", "evaluate",
            "evaluateRegression", "evaluateROC", "evaluateROCMultiClass", "output", "score", "scoreExamples");

    /**
     * @return the training loop on the current thread's stack (e.g. "ParallelWrapper.fit"), if any; none when the
     *         innermost model call is an evaluation pass ({@code EvaluativeListener} evaluating inside {@code fit})
     */
    static Optional<String> current() {
        return StackWalker.getInstance().walk(frames -> {
            Optional<String> loop = Optional.empty();
            boolean passInside = false;
            for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                if (!LOOPS.contains(f.getClassName())) {
                    continue;
                }
                if (f.getMethodName().startsWith("fit")) {
                    if (passInside) {
                        return Optional.<String>empty();
                    }
                    loop = Optional.of(f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                            + f.getMethodName());
                } else if (loop.isEmpty() && PASSES.contains(f.getMethodName())) {
                    passInside = true;
                }
            }
            return loop;
        });
    }
}
