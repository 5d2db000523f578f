package org.dgrab.lab.cli;

import java.io.IOException;
import java.util.List;

import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.experiment.TrainingExperiment;
import org.dgrab.lab.report.ResultFiles;

/**
 * Trains every (seed, ordering) of a run and returns its metrics: {@link TrainingExperiment} in this process
 * ({@link TrainingRun#inProcess}), or DL4J's Spark training for {@code dgrab spark}.
 */
interface RunEngine {
    /**
     * @param task     what to train
     * @param orders   ordering ids, in the order of {@code --orders}
     * @param seeds    the seeds
     * @param listener progress
     * @return every epoch's metrics (epoch 0 = the initial model), any order
     * @throws IOException if training fails on I/O
     */
    List<MetricsRow> train(TrainingRun.Task task, List<String> orders, List<Long> seeds, TrainingExperiment.Listener listener)
            throws IOException;

    /** @return the lowest valid {@code --sketch}: 0, or -1 where the engine can pick the size itself */
    default int minSketch() {
        return 0;
    }

    /**
     * @return true if this engine measures the herding bound of every epoch with {@code --herding-bound}; only
     *         the in-process engine does
     */
    default boolean measuresHerdingBound() {
        return false;
    }

    /** @return words for the run's description line, starting with ", ", or empty */
    default String describe() {
        return "";
    }

    /**
     * Writes the engine's own files beside {@code metrics.csv}, after training and after the results are
     * printed, with {@link ResultFiles#write} (which records a failure instead of throwing it).
     *
     * @param files the run's result files
     */
    default void writeFiles(ResultFiles files) {
    }
}
