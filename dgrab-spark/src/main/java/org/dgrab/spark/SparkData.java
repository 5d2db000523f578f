package org.dgrab.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Where a {@link SparkOrderedTrainer}'s training data comes from, as the last {@code setData} / {@code setDataPaths}
 * call of its builder chose it. One type per source, so that the builder holds exactly one source (not three fields
 * of which all but one are null) and each source says how it is sharded and how many workers it implies.
 */
sealed interface SparkData {

    /**
     * @param sc the Spark context
     * @return the number of workers when {@code optWorkers} was not called
     */
    int defaultWorkers(JavaSparkContext sc);

    /**
     * Cuts the data into the workers' units (a Spark job).
     *
     * @param sc          the Spark context
     * @param workers     number of workers
     * @param batch       examples per unit
     * @param fullBatches whether every unit must be a full batch (averaging frequency above 1)
     * @param seed        the ordering's seed
     * @return the shards, cached
     */
    ShardedUnits shard(JavaSparkContext sc, int workers, int batch, boolean fullBatches, long seed);

    /**
     * Data already in Spark: partition {@code w} is worker {@code w}'s shard.
     *
     * @param rdd the examples
     */
    record Partitions(JavaRDD<DataSet> rdd) implements SparkData {
        @Override
        public int defaultWorkers(JavaSparkContext sc) {
            return rdd.getNumPartitions();
        }

        @Override
        public ShardedUnits shard(JavaSparkContext sc, int workers, int batch, boolean fullBatches, long seed) {
            return ShardedUnits.ofPartitions(rdd, workers, batch);
        }
    }

    /**
     * Exported {@code DataSet} files: partition {@code w}'s paths are worker {@code w}'s units.
     *
     * @param files the paths
     */
    record Paths(JavaRDD<String> files) implements SparkData {
        @Override
        public int defaultWorkers(JavaSparkContext sc) {
            return files.getNumPartitions();
        }

        @Override
        public ShardedUnits shard(JavaSparkContext sc, int workers, int batch, boolean fullBatches, long seed) {
            return ShardedUnits.ofPaths(sc, files, workers, batch, fullBatches);
        }
    }

    /**
     * Data on the driver, read once and parallelized.
     *
     * @param iterator the examples
     */
    record Driver(DataSetIterator iterator) implements SparkData {
        @Override
        public int defaultWorkers(JavaSparkContext sc) {
            return sc.defaultParallelism();
        }

        @Override
        public ShardedUnits shard(JavaSparkContext sc, int workers, int batch, boolean fullBatches, long seed) {
            return ShardedUnits.parallelize(sc, iterator, workers, batch, seed);
        }
    }
}
