package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;

import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** The drop-in iterator inside DL4J's own workflows: listeners replaced, prefetching, another model, checkpoints. */
class DropInTest {
    private static final DataSet ALL = TestData.blobs(48, 5, 3, 11);

    private static OrderedDataSetIterator ordered(MultiLayerNetwork net) {
        return OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(TestData.batches(ALL, 8)))
                .setModel(net).optOrdering(OrderingConfig.of("cd-grab", 5)).build();
    }

    private static MultiLayerNetwork net() {
        return TestData.mlp(5, 6, 3, new Sgd(0.1), 9);
    }

    @Test
    void setListenersAfterWrappingDoesNotStopTheOrdering() {
        MultiLayerNetwork a = net();
        OrderedDataSetIterator ia = ordered(a);
        a.setListeners(new ScoreIterationListener(1000));
        a.fit(ia, 3);
        MultiLayerNetwork b = net();
        OrderedDataSetIterator ib = ordered(b);
        b.fit(ib, 3);
        assertEquals(3, ia.ordering().epoch(), "the ordering advanced every epoch");
        assertArrayEquals(ib.ordering().order(0), ia.ordering().order(0), "same orders as without setListeners");
        assertArrayEquals(TestData.params(b), TestData.params(a));
    }

    @Test
    void timeInTheListenerIsCountedOnlyWhileTraining() {
        MultiLayerNetwork a = net();
        OrderedDataSetIterator ia = ordered(a);
        assertEquals(0.0, ia.listenerSeconds());
        a.fit(ia);
        double one = ia.listenerSeconds();
        assertTrue(one > 0, "CD-GraB observed " + ia.batchesPerEpoch() + " batches in the listener: " + one);
        a.evaluate(ia);
        assertEquals(one, ia.listenerSeconds(), "evaluation computes no gradient");
        a.fit(ia);
        assertTrue(ia.listenerSeconds() > one);
    }

    @Test
    void fittingAnotherModelIsRefused() {
        OrderedDataSetIterator it = ordered(net());
        MultiLayerNetwork other = net();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.fit(it));
        assertTrue(e.getMessage().contains("MultiLayerNetwork.fit") && e.getMessage().contains("setModel"), e.getMessage());
    }

    @Test
    void asyncDataSetIteratorGivesTheSameTraining() {
        MultiLayerNetwork a = net();
        OrderedDataSetIterator ia = ordered(a);
        AsyncDataSetIterator async = new AsyncDataSetIterator(ia, 4);
        for (int e = 0; e < 3; e++) {
            a.fit(async);
        }
        async.shutdown();
        MultiLayerNetwork b = net();
        OrderedDataSetIterator ib = ordered(b);
        b.fit(ib, 3);
        assertEquals(3, ia.ordering().epoch());
        assertArrayEquals(ib.ordering().order(0), ia.ordering().order(0));
        assertArrayEquals(TestData.params(b), TestData.params(a));
    }

    @Test
    void checkpointAtEpochEndResumesBitIdentically(@TempDir Path dir) throws Exception {
        MultiLayerNetwork ref = net();
        OrderedDataSetIterator iref = ordered(ref);
        ref.fit(iref, 4);

        MultiLayerNetwork first = net();
        OrderedDataSetIterator it = ordered(first);
        first.addListeners(OrderingCheckpointListener.builder(dir.toFile(), it).saveEveryNEpochs(1).keepLast(2).build());
        first.fit(it, 2);
        File last = OrderingCheckpointListener.lastCheckpoint(dir.toFile());
        assertEquals(2, dir.toFile().list((d, n) -> n.endsWith(".zip")).length, "keeps the last two");

        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(last, true);
        assertEquals(2, resumed.getEpochCount(), "the file holds the model after its epoch");
        OrderedDataSetIterator again = ordered(resumed);
        OrderingCheckpoint.restore(last, again);
        resumed.fit(again, 2);
        assertArrayEquals(iref.ordering().order(0), again.ordering().order(0));
        TestData.assertSameTrainingState(ref, resumed);
    }

    @Test
    void checkpointMidEpochResumesBitIdentically(@TempDir Path dir) throws Exception {
        MultiLayerNetwork ref = net();
        OrderedDataSetIterator iref = ordered(ref);
        ref.fit(iref, 3);

        MultiLayerNetwork first = net();
        OrderedDataSetIterator it = ordered(first);
        first.addListeners(OrderingCheckpointListener.builder(dir.toFile(), it).saveEveryNIterations(8).build());
        first.fit(it, 2);
        // Iteration 8 of 6 per epoch is the third batch of epoch 1, written when the ninth iteration began.
        File mid = new File(dir.toFile(), "dgrab_checkpoint_0_MultiLayerNetwork.zip");
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(mid, true);
        OrderedDataSetIterator again = ordered(resumed);
        OrderingCheckpoint.restore(mid, again);
        assertTrue(again.hasNext());
        resumed.fit(again);       // the rest of epoch 1
        resumed.fit(again, 1);    // epoch 2
        assertArrayEquals(iref.ordering().order(0), again.ordering().order(0));
        TestData.assertSameTrainingState(ref, resumed);
    }
}
