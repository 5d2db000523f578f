/**
 * Experiment pipelines behind the command-line examples: training several orderings side by side and recording
 * per-epoch metrics. {@link org.dgrab.examples.experiment.TrainingExperiment} is the one run loop; the task enters
 * through an {@link org.dgrab.examples.experiment.Evaluator}: {@link org.dgrab.examples.experiment.ClassificationEvaluator}
 * (loss and accuracy) or {@link org.dgrab.examples.experiment.LanguageModelEvaluator} (per-token cross-entropy and
 * perplexity).
 */
package org.dgrab.examples.experiment;
