/**
 * Experiment pipelines behind the lab's commands: training several orderings side by side and recording
 * per-epoch metrics. {@link org.dgrab.lab.experiment.TrainingExperiment} is the one run loop; the task enters
 * through an {@link org.dgrab.lab.experiment.Evaluator}: {@link org.dgrab.lab.experiment.ClassificationEvaluator}
 * (loss and accuracy) or {@link org.dgrab.lab.experiment.LanguageModelEvaluator} (per-token cross-entropy and
 * perplexity). {@link org.dgrab.lab.experiment.DropInVsShuffle} trains outside that loop, with {@code net.fit} as a
 * DL4J user does, to compare the drop-in iterator with DL4J's own shuffling.
 */
package org.dgrab.lab.experiment;
