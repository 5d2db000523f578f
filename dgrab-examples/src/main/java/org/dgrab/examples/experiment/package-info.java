/**
 * Experiment pipelines behind the command-line examples: training several orderings side by side and recording
 * per-epoch metrics.
 */
package org.dgrab.examples.experiment;
