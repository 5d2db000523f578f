package org.dgrab.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.dgrab.dl4j.Sharding;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.internal.data.UnitLayout;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The training data as Spark holds it: one partition per worker (partition {@code w} is worker {@code w}'s shard),
 * each a list of units, cached and never repartitioned. Two kinds of shard:
 * <ul>
 *   <li>in memory: units are mini-batches ({@code DataSet}s of the batch size, the last one of a shard possibly
 *       smaller). From a {@code DataSetIterator} the shards and units are cut exactly as {@code DataParallelTrainer}
 *       cuts them (contiguous shards, consecutive batches), so both train on the same units;</li>
 *   <li>exported files: units are the paths of {@code DataSet} files (DL4J's export layout, one file = one
 *       mini-batch); the executors load a window's files when they train it ({@code fitPaths} with
 *       {@link ExportedFileLoader}), so no data passes through the driver, which holds only the paths.</li>
 * </ul>
 * Either way a window is picked by {@link WindowSelector} from the cached partitions in the workers' orders.
 */
final class ShardedUnits {
    /** The cached units of one kind, and how a window of them is trained. */
    private sealed interface Cached permits InMemory, Exported {
        /** @return the cached RDD, partition w = worker w */
        JavaRDD<?> rdd();

        /** Trains every worker's units at steps {@code [from, to)} of its order as one Spark job. */
        void fit(SparkNetwork net, Broadcast<int[][]> orders, int from, int to);

        /** @return what the units are, for the trainer's configuration line */
        String describe(long examples);
    }

    /** Mini-batches held by Spark. */
    private record InMemory(JavaRDD<DataSet> rdd) implements Cached {
        @Override
        public void fit(SparkNetwork net, Broadcast<int[][]> orders, int from, int to) {
            net.fit().accept(rdd.mapPartitionsWithIndex(new WindowSelector<>(orders, from, to), true));
        }

        @Override
        public String describe(long examples) {
            return examples + " examples";
        }
    }

    /** Paths of exported {@code DataSet} files, loaded by the executors. */
    private record Exported(JavaRDD<String> rdd, ExportedFileLoader loader) implements Cached {
        @Override
        public void fit(SparkNetwork net, Broadcast<int[][]> orders, int from, int to) {
            net.fitPaths().accept(rdd.mapPartitionsWithIndex(new WindowSelector<>(orders, from, to), true), loader);
        }

        @Override
        public String describe(long examples) {
            return "exported DataSet files";
        }
    }

    private final Cached cached;
    private final int[] units;
    /** Examples in all shards, -1 for exported files (the driver never reads them). */
    private final long examples;

    private final long shortUnits;
    /** The driver's shards (batches or paths) when read on the driver: they back the cache until released. */
    private final List<? extends Broadcast<?>> shards;

    private ShardedUnits(Cached cached, int[] units, long examples, long shortUnits,
                         List<? extends Broadcast<?>> shards) {
        this.cached = cached;
        this.units = units;
        this.examples = examples;
        this.shortUnits = shortUnits;
        this.shards = shards;
    }

    /** The iterator's examples cut as {@code DataParallelTrainer} cuts them: {@code unit(w, j)} is worker w's j-th. */
    record Cut(ExampleStore store, UnitLayout layout) {
        /** @return worker w's unit j as one DataSet */
        DataSet unit(int w, int j) {
            return store.batch(layout.examples(w, j));
        }
    }

    /**
     * Reads the iterator once and cuts it like {@code DataParallelTrainer}: contiguous shards, consecutive batches.
     *
     * @param source  the data (reset first if it can be)
     * @param workers workers n
     * @param batch   examples per unit
     * @param seed    the ordering's seed (contiguous sharding ignores it)
     * @return the cut
     */
    static Cut cut(DataSetIterator source, int workers, int batch, long seed) {
        if (source.resetSupported()) {
            source.reset();
        }
        ExampleStore store = ExampleStore.materialise(source);
        return new Cut(store, UnitLayout.of(Sharding.CONTIGUOUS.split(store.size(), workers, seed), batch));
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
        Cut cut = cut(source, workers, batch, seed);
        UnitLayout layout = cut.layout();
        ArrayList<Broadcast<List<DataSet>>> shards = new ArrayList<>(workers);
        List<Integer> ids = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            List<DataSet> shard = new ArrayList<>(layout.units(w));
            for (int j = 0; j < layout.units(w); j++) {
                shard.add(cut.unit(w, j));
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
     * Uses the partitions of an RDD of exported {@code DataSet} file paths as the shards: partition {@code w}'s paths,
     * in partition order, are worker {@code w}'s units (unit {@code j} = its {@code j}-th path). The driver collects
     * the paths (small strings, one job) and never opens a file; each shard's paths then travel once, as a broadcast,
     * like the in-memory shards. Collecting them also means the given RDD is computed once: an RDD that exports as it
     * is computed ({@code BatchAndExportDataSetsFunction}) is not exported again by a later job.
     *
     * @param sc           the context
     * @param data         the paths, with exactly {@code workers} partitions, none empty
     * @param workers      workers n
     * @param batch        examples per unit: a file must hold at most this many
     * @param fullBatches  whether every file must hold exactly {@code batch} examples (averaging frequency above 1)
     * @return the cached paths
     * @throws IllegalArgumentException if the partition count differs from the workers, or a partition is empty or
     *                                  holds an empty path (named)
     */
    static ShardedUnits ofPaths(JavaSparkContext sc, JavaRDD<String> data, int workers, int batch,
                                boolean fullBatches) {
        int p = data.getNumPartitions();
        if (p != workers) {
            throw new IllegalArgumentException("the RDD of exported DataSet paths has " + p + " partitions; "
                    + "dgrab-spark needs one per worker (" + workers + "), partition w holding worker w's files: "
                    + "export one partition per worker, or coalesce the paths to " + workers + " partitions first");
        }
        List<List<String>> collected = data.glom().collect();
        int[] units = new int[workers];
        for (int w = 0; w < workers; w++) {
            List<String> shard = collected.get(w);
            if (shard.isEmpty()) {
                throw new IllegalArgumentException("partition " + w + " of the exported DataSet paths is empty: "
                        + "every worker needs at least one file");
            }
            for (int j = 0; j < shard.size(); j++) {
                if (shard.get(j) == null || shard.get(j).isBlank()) {
                    throw new IllegalArgumentException("partition " + w + " of the exported DataSet paths holds "
                            + (shard.get(j) == null ? "null" : "an empty path") + " at position " + j);
                }
            }
            units[w] = shard.size();
        }
        List<Broadcast<List<String>>> shards = new ArrayList<>(workers);
        List<Integer> ids = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            shards.add(sc.broadcast(new ArrayList<>(collected.get(w))));
            ids.add(w);
        }
        JavaRDD<String> rdd = sc.parallelize(ids, workers)
                .mapPartitionsWithIndex((w, it) -> shards.get(w).value().iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        rdd.setName("dgrab exported DataSet paths (" + workers + " shards)");
        return new ShardedUnits(new Exported(rdd, new ExportedFileLoader(batch, fullBatches)), units, -1, 0, shards);
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
        return checked(rdd, workers, batch, null, List.<Broadcast<?>>of());
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
                                        List<? extends Broadcast<?>> shards) {
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
        return new ShardedUnits(new InMemory(rdd), units, examples, shortUnits, shards);
    }

    /**
     * Trains one window: every worker's units at steps {@code [from, to)} of its order, one Spark job through DL4J's
     * {@code fit} (in-memory units) or {@code fitPaths} (exported files, loaded by the executors).
     *
     * @param net    the Spark network
     * @param orders every worker's order of the epoch
     * @param from   first step
     * @param to     end step (exclusive)
     */
    void fit(SparkNetwork net, Broadcast<int[][]> orders, int from, int to) {
        cached.fit(net, orders, from, to);
    }

    /** @return the cached units (DataSets or paths), partition w = worker w */
    JavaRDD<?> rdd() {
        return cached.rdd();
    }

    /** @return units of each worker */
    int[] units() {
        return units.clone();
    }

    /** @return examples in all shards; -1 for exported files, which the driver never reads */
    long examples() {
        return examples;
    }

    /** @return units with fewer examples than the batch size (the last of a shard); 0 for exported files */
    long shortUnits() {
        return shortUnits;
    }

    /** @return the data as the trainer's one-line configuration names it */
    String describe() {
        return "units " + Arrays.toString(units) + ", " + cached.describe(examples);
    }

    /** Drops the cache and the driver's shards. */
    void release() {
        release(rdd(), shards);
    }

    private static void release(JavaRDD<?> rdd, List<? extends Broadcast<?>> shards) {
        rdd.unpersist(false);
        shards.forEach(b -> b.destroy(false));
    }
}
