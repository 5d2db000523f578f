package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** The builder's default replaces shuffling: on class-sorted mini-batches it moves examples like example units. */
class DefaultGranularityTest {
    private static final int N = 96;
    private static final int BATCH = 8;

    /** Examples sorted by class, so that every source mini-batch holds a single class. */
    private static List<DataSet> classSorted() {
        DataSet all = TestData.blobs(N, 5, 3, 0.8, 21);
        int[] cls = IntStream.range(0, N).map(i -> all.getLabels().getRow(i).argMax().getInt(0)).toArray();
        int[] idx = IntStream.range(0, N).boxed().sorted(Comparator.comparingInt(i -> cls[i]))
                .mapToInt(Integer::intValue).toArray();
        return TestData.batches(TestData.rows(all, idx), BATCH);
    }

    private static double trainAccuracy(Granularity g, int[] units) {
        MultiLayerNetwork net = TestData.mlp(5, 8, 3, new Sgd(0.05), 3);
        OrderedDataSetIterator.Builder b = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(classSorted())).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 7));
        OrderedDataSetIterator it = (g == null ? b : b.optGranularity(g)).build();
        net.fit(it, 5);
        units[0] = it.ordering().units(0);
        Evaluation e = net.evaluate(new ExistingDataSetIterator(classSorted()));
        return e.accuracy();
    }

    @Test
    void defaultMovesExamplesAndReachesExampleUnitsAccuracy() {
        int[] units = new int[1];
        double def = trainAccuracy(null, units);
        assertEquals(N, units[0], "softmax + MCXENT output: the default orders single examples");
        double examples = trainAccuracy(Granularity.EXAMPLE_LAST_LAYER, units);
        double batches = trainAccuracy(Granularity.BATCH, units);
        assertEquals(N / BATCH, units[0], "batch units order the source's mini-batches");
        assertTrue(def >= examples, "default " + def + " vs example units " + examples);
        assertTrue(def > batches, "default " + def + " should beat class-pure batch units " + batches);
    }
}
