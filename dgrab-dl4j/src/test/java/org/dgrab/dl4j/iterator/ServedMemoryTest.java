package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Served batches' memory is freed once DL4J's training loop is done with them, never under a user's own loop, and
 * freeing changes no number.
 */
class ServedMemoryTest {
    private static final DataSet ALL = TestData.blobs(96, 5, 3, 7);

    private static OrderedDataSetIterator wrap(MultiLayerNetwork net, String ordering) {
        return OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(TestData.batches(ALL, 8)))
                .setModel(net).optOrdering(OrderingConfig.of(ordering, 3)).build();
    }

    private static MultiLayerNetwork net() {
        return TestData.mlp(5, 6, 3, new Sgd(0.1), 11);
    }

    /** Records every features array the model trained on, in order. */
    private static final class Inputs extends BaseTrainingListener {
        final List<INDArray> seen = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            seen.add(((MultiLayerNetwork) model).input());
        }
    }

    @Test
    void fitFreesEveryBatchButTheLastFewAndTrainsTheSame() {
        for (String ordering : new String[] {"cd-grab", "d-rr"}) {
            MultiLayerNetwork net = net();
            Inputs inputs = new Inputs();
            net.addListeners(inputs);
            OrderedDataSetIterator it = wrap(net, ordering);
            net.fit(it, 3);
            List<INDArray> seen = inputs.seen;
            assertEquals(36, seen.size());
            int lag = ServedMemory.lagFor(1);
            for (int i = 0; i < seen.size(); i++) {
                // The last batches wait for later serves that never come; all earlier ones are freed.
                assertEquals(i < seen.size() - lag, seen.get(i).wasClosed(), ordering + " batch " + i);
            }

            // The same run with every served batch kept alive by a user reference trains identically.
            MultiLayerNetwork ref = net();
            OrderedDataSetIterator refIt = wrap(ref, ordering);
            for (int e = 0; e < 3; e++) {
                List<DataSet> kept = new ArrayList<>();
                while (refIt.hasNext()) {
                    DataSet d = refIt.next();
                    ref.fit(d);
                    kept.add(d);
                }
                refIt.reset();
                kept.forEach(d -> assertFalse(d.getFeatures().wasClosed(), "a user's own loop keeps its batches"));
            }
            assertArrayEquals(TestData.params(ref), TestData.params(net), 0f, ordering);
        }
    }

    @Test
    void batchesKeptByAUsersLoopStayReadable() {
        MultiLayerNetwork net = net();
        OrderedDataSetIterator it = wrap(net, "cd-grab");
        Map<DataSet, Double> sums = new IdentityHashMap<>();
        for (int e = 0; e < 2; e++) {
            while (it.hasNext()) {
                DataSet d = it.next();
                sums.put(d, d.getFeatures().sumNumber().doubleValue());
                net.fit(d);
            }
            it.reset();
        }
        sums.forEach((d, s) -> assertEquals(s, d.getFeatures().sumNumber().doubleValue(), 0.0));
    }

    @Test
    void parallelWrapperWaitsLongerAndStillFrees() throws Exception {
        MultiLayerNetwork net = net();
        Inputs inputs = new Inputs();
        OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(TestData.batches(ALL, 8))).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).optParallelWrapper(2).build();
        ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(1).prefetchBuffer(0)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING).build();
        pw.setListeners(inputs);
        pw.fit(it);
        pw.fit(it);
        pw.close();
        long closed;
        synchronized (inputs.seen) {
            closed = inputs.seen.stream().filter(INDArray::wasClosed).count();
        }
        assertEquals(2, it.ordering().epoch());
        assertTrue(closed > 0, "some of " + inputs.seen.size() + " batches freed");
        assertTrue(closed <= inputs.seen.size() - ServedMemory.lagFor(2), closed + " freed");
    }

    @Test
    void ownedKeepsOnlyFreshArraysTheServedBatchStillHolds() {
        INDArray fresh = Nd4j.create(DataType.FLOAT, 4, 3);
        INDArray replaced = Nd4j.create(DataType.FLOAT, 4, 2);
        INDArray view = Nd4j.create(DataType.FLOAT, 8, 3).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray byPreProcessor = Nd4j.create(DataType.FLOAT, 4, 2);
        INDArray[] owned = ServedMemory.owned(new INDArray[] {fresh, replaced, view, null},
                new INDArray[] {fresh, byPreProcessor, view, null});
        assertArrayEquals(new INDArray[] {fresh}, owned);
    }

    @Test
    void freesAfterTheLagOnly() {
        ServedMemory m = new ServedMemory(2);
        INDArray a = Nd4j.create(DataType.FLOAT, 2, 2);
        m.served();
        m.retire(new INDArray[] {a});
        m.served();
        assertFalse(a.wasClosed());
        m.served();
        assertTrue(a.wasClosed());
        assertEquals(0, m.waiting());
        assertThrows(IllegalArgumentException.class, () -> new ServedMemory(0));
    }
}
