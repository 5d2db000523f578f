package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Observing gradients on the iterator's own thread ({@code optObserverThread}) changes who waits, never what is
 * trained: the same orders and parameters as observing on the training thread, a failure there reaches the
 * training loop, and the ordering is read only after the last observation.
 */
class ObserverThreadTest {
    private static final DataSet ALL = TestData.blobs(96, 5, 3, 11);

    private static OrderedDataSetIterator ordered(MultiLayerNetwork net, DataSet data, String kind, Granularity g,
                                                  boolean observerThread) {
        return OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(TestData.batches(data, 8)))
                .setModel(net).optOrdering(OrderingConfig.of(kind, 5)).optGranularity(g)
                .optObserverThread(observerThread).build();
    }

    @ParameterizedTest
    @CsvSource({"cd-grab, batch", "cd-grab, example-last-layer", "cd-grab-recursive, batch", "mean-balance, batch"})
    void sameOrdersAndParametersAsObservingOnTheTrainingThread(String kind, String granularity) throws Exception {
        Granularity g = Granularity.parse(granularity);
        MultiLayerNetwork a = TestData.mlp(5, 6, 3, new Sgd(0.1), 2);
        OrderedDataSetIterator ia = ordered(a, ALL, kind, g, false);
        MultiLayerNetwork b = TestData.mlp(5, 6, 3, new Sgd(0.1), 2);
        OrderedDataSetIterator ib = ordered(b, ALL, kind, g, true);
        int[] first = ia.ordering().order(0);
        for (int e = 1; e <= 4; e++) {
            a.fit(ia);
            b.fit(ib);
            // ordering() waits for the observer thread's last observations of the epoch.
            assertEquals(e, ib.ordering().epoch(), "epoch " + e + " ended once its last gradient was observed");
            assertArrayEquals(ia.ordering().order(0), ib.ordering().order(0), "orders of epoch " + (e + 1));
            assertArrayEquals(TestData.params(a), TestData.params(b), "parameters after epoch " + e + ", bit for bit");
            ByteArrayOutputStream sa = new ByteArrayOutputStream();
            ByteArrayOutputStream sb = new ByteArrayOutputStream();
            ia.ordering().save(sa);
            ib.ordering().save(sb);
            assertArrayEquals(sa.toByteArray(), sb.toByteArray(), "same checkpoint after epoch " + e);
        }
        assertFalse(Arrays.equals(first, ib.ordering().order(0)), kind + " reorders");
        ib.close();
    }

    @Test
    void aFailureOnTheObserverThreadStopsTheTrainingLoop() {
        DataSet bad = ALL.copy();
        bad.getFeatures().putScalar(20, 0, Double.NaN);
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 2);
        OrderedDataSetIterator it = ordered(net, bad, "cd-grab", Granularity.BATCH, true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.fit(it, 2));
        assertTrue(e.getMessage().contains("observer thread failed on the gradient of batch"), e.getMessage());
        assertInstanceOf(NonFiniteGradientException.class, e.getCause(), "the strategy's own refusal is the cause");
        IllegalStateException again = assertThrows(IllegalStateException.class, it::reset);
        assertTrue(again.getMessage().contains("cannot go on"), "the iterator stays refused: " + again.getMessage());
    }

    @Test
    void parallelWrapperWorkersHandTheirGradientsToTheObserverThread() throws Exception {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 2);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                .setSource(new ExistingDataSetIterator(TestData.batches(ALL, 8))).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 5)).optGranularity(Granularity.BATCH).optParallelWrapper(2)
                .optObserverThread(true).build();
        try (ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(0).averagingFrequency(1)
                .build()) {
            for (int e = 1; e <= 2; e++) {
                pw.fit(it);
                assertEquals(e, it.ordering().epoch());
            }
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("dgrab-observer")),
                "the gradients were observed on dgrab's own thread");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(TestData.batches(ALL, 8)))
                        .optOrdering(OrderingConfig.of("d-rr", 5)).optObserverThread(true).build());
        assertTrue(refused.getMessage().contains("d-rr uses none"), refused.getMessage());
    }
}
