/**
 * DL4J adapter of dgrab: {@link org.dgrab.dl4j.Granularity} (what a unit is) at the root; sub-packages
 * {@code data} (materialised examples, shards, units), {@code iterator} (the drop-in
 * {@link org.deeplearning4j.nn.api.Model}-aware {@code DataSetIterator} wrapper), {@code gradient} (capturing unit
 * gradients from a model) and {@code trainer} (the synchronous data-parallel trainer for n workers).
 */
package org.dgrab.dl4j;
