/**
 * Where unit gradients come from: one {@link org.dgrab.dl4j.internal.gradient.GradientSource} per
 * {@link org.dgrab.dl4j.Granularity}, computing on a {@link org.dgrab.dl4j.internal.model.ModelAdapter}, and
 * {@link org.dgrab.dl4j.internal.gradient.OutputLayerCapture} (per-example output-layer gradients from a forward pass the
 * caller's own listener forwards).
 */
package org.dgrab.dl4j.internal.gradient;
