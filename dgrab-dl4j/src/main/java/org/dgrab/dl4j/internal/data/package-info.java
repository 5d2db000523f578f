/**
 * Data side of the DL4J adapter: examples materialised for random access ({@link org.dgrab.dl4j.internal.data.ExampleStore}),
 * shards per worker ({@link org.dgrab.dl4j.Sharding}) and the fixed units that get ordered
 * ({@link org.dgrab.dl4j.internal.data.UnitLayout}).
 */
package org.dgrab.dl4j.internal.data;
