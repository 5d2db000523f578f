/**
 * Where unit gradients come from: {@link org.dgrab.dl4j.gradient.ModelAdapter} (one view of MultiLayerNetwork
 * and ComputationGraph for gradient computation and updates), one {@link org.dgrab.dl4j.gradient.GradientSource}
 * per {@link org.dgrab.dl4j.Granularity}, and {@link org.dgrab.dl4j.gradient.OutputLayerCapture} (per-example
 * output-layer gradients from a forward pass the caller's own listener forwards).
 */
package org.dgrab.dl4j.gradient;
