package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class OrderedMultiDataSetIteratorTest {

    @Test
    void fitsGraphInBalancedBatchOrderAndVisitsEachBatchOncePerEpoch() {
        List<MultiDataSet> b = TestData.twoInputBatches(60, 10, 5);
        ComputationGraph g = TestData.twoInputGraph(new Sgd(0.1), 3);
        OrderedMultiDataSetIterator it = OrderedMultiDataSetIterator.builder().setSource(new ListMulti(b)).setModel(g).optOrdering(OrderingConfig.of("cd-grab", 1)).optGranularity(Granularity.BATCH).build();
        assertFalse(it.asyncSupported());
        assertTrue(it.resetSupported());
        List<int[]> orders = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            orders.add(it.ordering().order(0));
            Set<MultiDataSet> seen = new HashSet<>();
            g.fit(it);
            it.reset();
            // The strategy advanced exactly once per trained epoch.
            assertEquals(e + 1, it.ordering().epoch());
            assertEquals(6, it.ordering().units(0));
            while (it.hasNext()) {
                seen.add(it.next());
            }
            assertEquals(6, seen.size(), "an epoch serves each batch exactly once");
            it.reset(); // nothing trained in this pass: a rewind, not an epoch
            assertEquals(e + 1, it.ordering().epoch());
        }
        assertNotEquals(java.util.Arrays.toString(orders.get(1)), java.util.Arrays.toString(orders.get(2)),
                "CD-GraB reorders from gradients");
    }

    @Test
    void resetInTheMiddleOfATrainedEpochIsAnError() {
        ComputationGraph g = TestData.twoInputGraph(new Sgd(0.1), 3);
        OrderedMultiDataSetIterator it = OrderedMultiDataSetIterator.builder().setSource(new ListMulti(TestData.twoInputBatches(60, 10, 5))).setModel(g).optOrdering(OrderingConfig.of("cd-grab", 1)).optGranularity(Granularity.BATCH).build();
        g.fit(it.next());
        IllegalStateException e = assertThrows(IllegalStateException.class, it::reset);
        assertTrue(e.getMessage().contains("1 of 6 batches"), e.getMessage());
    }

    @Test
    void gradientOrderingsNeedTheGraph() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OrderedMultiDataSetIterator.builder().setSource(new ListMulti(TestData.twoInputBatches(60, 10, 5))).optOrdering(OrderingConfig.of("cd-grab", 1)).build());
        assertTrue(e.getMessage().contains("setModel"), e.getMessage());
    }

    /** A resettable list-backed MultiDataSetIterator. */
    private static final class ListMulti implements MultiDataSetIterator {
        private static final long serialVersionUID = 1L;
        private final transient List<MultiDataSet> list;
        private int pos;

        ListMulti(List<MultiDataSet> list) {
            this.list = list;
        }

        @Override
        public MultiDataSet next(int num) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setPreProcessor(org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor p) {
            throw new UnsupportedOperationException();
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            pos = 0;
        }

        @Override
        public boolean hasNext() {
            return pos < list.size();
        }

        @Override
        public MultiDataSet next() {
            return list.get(pos++);
        }
    }
}
