/**
 * Data side of the DL4J adapter: examples materialised for random access ({@link org.dgrab.dl4j.data.ExampleStore}),
 * shards per worker ({@link org.dgrab.dl4j.data.Sharding}) and the fixed units that get ordered
 * ({@link org.dgrab.dl4j.data.UnitLayout}).
 */
package org.dgrab.dl4j.data;
