/**
 * DL4J models as the trainer sees them: {@link org.dgrab.dl4j.internal.model.ModelAdapter} (one adapter per model type,
 * {@code MultiLayerNetwork} or {@code ComputationGraph}: set a batch, compute the summed gradient, replicas,
 * checkpoints), and its update step, {@code UpdateStep} (applies a gradient the way DL4J's
 * {@code StochasticGradientDescent} does).
 */
package org.dgrab.dl4j.internal.model;
