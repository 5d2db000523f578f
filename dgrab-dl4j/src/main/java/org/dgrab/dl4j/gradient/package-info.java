/**
 * Where unit gradients come from: {@link org.dgrab.dl4j.gradient.ModelAdapter} (one view of MultiLayerNetwork
 * and ComputationGraph for gradient computation and updates) and one {@link org.dgrab.dl4j.gradient.GradientSource}
 * per {@link org.dgrab.dl4j.Granularity}.
 */
package org.dgrab.dl4j.gradient;
