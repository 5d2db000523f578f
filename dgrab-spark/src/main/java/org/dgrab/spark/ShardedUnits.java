package org.dgrab.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.data.Sharding;
import org.dgrab.dl4j.data.UnitLayout;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The training data as Spark holds it: one partition per worker (partition {@code w} is worker {@code w}'s shard),
 * each a list of units (mini-batches of the batch size, the last one of a shard possibly smaller), cached and never
 * repartitioned. From a {@code DataSetIterator} the shards and units are cut exactly as {@code DataParallelTrainer}
 * cuts them (contiguous shards, consecutive batches), so both train on the same units.
 */
final class ShardedUnits {
    private final JavaRDD<DataSet> rdd;
    private final int[] units;
    private final long examples;

    private final long shortUnits;
    /** The driver's shards when read from an iterator (empty for an RDD): they back the cache until released. */
    private final List<Broadcast<List<DataSet>>> shards;

    private ShardedUnits(JavaRDD<DataSet> rdd, int[] units, long examples, long shortUnits,
                         List<Broadcast<List<DataSet>>> shards) {
        this.rdd = rdd;
        this.units = units;
        this.examples = examples;
        this.shortUnits = shortUnits;
        this.shards = shards;
    }

    /**
     * Reads the iterator once on the driver, shards it like {@code DataParallelTrainer} and parallelizes one
     * partition per worker.
     *
     * @param sc      the context
     * @param source  the data (reset first if it can be)
     * @param workers workers n
     * @param batch   examples per unit
     * @param seed    the ordering's seed (contiguous sharding ignores it)
     * @return the cached units
     */
    static ShardedUnits parallelize(JavaSparkContext sc, DataSetIterator source, int workers, int batch, long seed) {
        if (source.resetSupported()) {
            source.reset();
        }
        ExampleStore store = ExampleStore.materialise(source);
        UnitLayout layout = UnitLayout.of(Sharding.CONTIGUOUS.split(store.size(), workers, seed), batch);
        ArrayList<Broadcast<List<DataSet>>> shards = new ArrayList<>(workers);
        List<Integer> ids = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            List<DataSet> shard = new ArrayList<>(layout.units(w));
            for (int j = 0; j < layout.units(w); j++) {
                shard.add(store.batch(layout.examples(w, j)));
            }
            shards.add(sc.broadcast(shard));
            ids.add(w);
        }
        // Each shard travels once, as its own broadcast, to the executor that caches it. Parallelizing the shards
        // themselves would put them inside the partitions of a ParallelCollectionRDD, and Spark serialises a task's
        // partition into every task: each training step re-sent its worker's whole shard (7.8 MB per task on
        // 10k Fashion-MNIST images, ~1 s a step on local[4]). A broadcast stays recomputable if a cached block is
        // lost, which a local checkpoint would not be.
        JavaRDD<DataSet> rdd = sc.parallelize(ids, workers)
                .mapPartitionsWithIndex((w, it) -> shards.get(w).value().iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        rdd.setName("dgrab units (" + workers + " shards, batch " + batch + ")");
        return checked(rdd, workers, batch, layout.unitsPerWorker(), shards);
    }

    /**
     * Uses the partitions of an RDD as the shards: partition {@code w}'s DataSets (examples or batches of any size,
     * in partition order) are concatenated and cut into consecutive units of {@code batch} examples.
     *
     * @param data    the data, with exactly {@code workers} partitions
     * @param workers workers n
     * @param batch   examples per unit
     * @return the cached units
     * @throws IllegalArgumentException if the partition count differs from the workers, or a partition is empty
     */
    static ShardedUnits ofPartitions(JavaRDD<DataSet> data, int workers, int batch) {
        int p = data.getNumPartitions();
        if (p != workers) {
            throw new IllegalArgumentException("the training RDD has " + p + " partitions; dgrab-spark needs one per worker "
                    + "(" + workers + "), partition w being worker w's shard: repartition or coalesce it to " + workers
                    + " first");
        }
        JavaRDD<DataSet> rdd = data.mapPartitions(it -> cut(it, batch), true).persist(StorageLevel.MEMORY_ONLY());
        rdd.setName("dgrab units (" + workers + " shards, batch " + batch + ")");
        return checked(rdd, workers, batch, null, List.of());
    }

    private static Iterator<DataSet> cut(Iterator<DataSet> it, int batch) {
        List<DataSet> all = new ArrayList<>();
        it.forEachRemaining(all::add);
        if (all.isEmpty()) {
            return all.iterator();
        }
        DataSet merged = all.size() == 1 ? all.get(0) : DataSet.merge(all);
        int n = merged.numExamples();
        List<DataSet> out = new ArrayList<>((n + batch - 1) / batch);
        for (int from = 0; from < n; from += batch) {
            out.add((DataSet) merged.getRange(from, Math.min(n, from + batch)));
        }
        return out.iterator();
    }

    /**
     * Counts the cached units and examples per partition (which materialises the cache) and checks them.
     *
     * @param expected units per worker, or null to take what the partitions hold (each at least one)
     */
    private static ShardedUnits checked(JavaRDD<DataSet> rdd, int workers, int batch, int[] expected,
                                        List<Broadcast<List<DataSet>>> shards) {
        List<long[]> counts = rdd.mapPartitionsWithIndex((i, it) -> {
            long[] c = {i, 0, 0, 0};
            while (it.hasNext()) {
                int e = it.next().numExamples();
                c[1]++;
                c[2] += e;
                c[3] += e < batch ? 1 : 0;
            }
            return List.of(c).iterator();
        }, true).collect();
        int[] units = new int[workers];
        long examples = 0;
        long shortUnits = 0;
        for (long[] c : counts) {
            units[(int) c[0]] = (int) c[1];
            examples += c[2];
            shortUnits += c[3];
        }
        for (int w = 0; w < workers; w++) {
            String problem = expected != null && units[w] != expected[w]
                    ? "holds " + units[w] + " units, expected " + expected[w]
                    : units[w] == 0 ? "is empty: every worker needs at least one example" : null;
            if (problem != null) {
                release(rdd, shards);
                throw new IllegalArgumentException("partition " + w + " of the training data " + problem);
            }
        }
        return new ShardedUnits(rdd, units, examples, shortUnits, shards);
    }

    /** @return the cached units, partition w = worker w */
    JavaRDD<DataSet> rdd() {
        return rdd;
    }

    /** @return units of each worker */
    int[] units() {
        return units.clone();
    }

    /** @return examples in all shards */
    long examples() {
        return examples;
    }

    /** @return units with fewer examples than the batch size (the last of a shard) */
    long shortUnits() {
        return shortUnits;
    }

    /** Drops the cache and the driver's shards. */
    void release() {
        release(rdd, shards);
    }

    private static void release(JavaRDD<DataSet> rdd, List<Broadcast<List<DataSet>>> shards) {
        rdd.unpersist(false);
        shards.forEach(b -> b.destroy(false));
    }
}
