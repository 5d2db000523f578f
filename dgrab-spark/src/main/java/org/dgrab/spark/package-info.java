/**
 * dgrab orderings on DL4J's Spark training: {@link org.dgrab.spark.SparkOrderedTrainer} runs
 * {@code SparkDl4jMultiLayer} / {@code SparkComputationGraph} parameter averaging one window of steps per job, with
 * every worker's order from a dgrab ordering kept on the driver and gradient sketches returned by the tasks.
 */
package org.dgrab.spark;
