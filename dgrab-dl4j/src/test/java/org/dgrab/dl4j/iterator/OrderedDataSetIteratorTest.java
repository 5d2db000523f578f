package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.datasets.iterator.MultipleEpochsIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleSource;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link OrderedDataSetIterator} as a drop-in for {@code fit}: whole epochs of every example once, in the
 * strategy's order, with masks and pre-processors intact, honest metadata, and clear errors for misuse.
 */
class OrderedDataSetIteratorTest {
    private static final DataSet ALL = TestData.blobs(48, 5, 3, 71);
    private static final List<String> LABELS = List.of("a", "b", "c");

    private static ExistingDataSetIterator source(DataSet all, int batch) {
        return new ExistingDataSetIterator(TestData.batches(all, batch), LABELS);
    }

    /** Records, per epoch, the examples of every batch the model trained on, and the strategy's order then. */
    private static final class Served extends BaseTrainingListener {
        private final TestData.Ids ids;
        private final OrderedDataSetIterator it;
        final List<List<int[]>> epochs = new ArrayList<>();
        final List<int[][]> orders = new ArrayList<>();

        Served(DataSet all, OrderedDataSetIterator it) {
            this.ids = new TestData.Ids(all);
            this.it = it;
        }

        @Override
        public void onEpochStart(Model model) {
            epochs.add(new ArrayList<>());
        }

        @Override
        public void onGradientCalculation(Model model) {
            List<int[]> e = epochs.get(epochs.size() - 1);
            if (e.isEmpty()) {
                int[][] o = new int[it.ordering().workers()][];
                for (int w = 0; w < o.length; w++) {
                    o[w] = it.ordering().order(w);
                }
                orders.add(o);
            }
            INDArray in = model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).getInput()
                    : ((ComputationGraph) model).getInputs()[0];
            e.add(ids.of(in));
        }
    }

    private static void assertEveryExampleOnce(List<int[]> epoch, int n) {
        boolean[] seen = new boolean[n];
        for (int[] batch : epoch) {
            for (int id : batch) {
                assertFalse(seen[id], "example " + id + " served twice");
                seen[id] = true;
            }
        }
        for (int id = 0; id < n; id++) {
            assertTrue(seen[id], "example " + id + " not served");
        }
    }

    @Test
    void batchGranularityCdGrabFitTrainsLikeTheTrainer() {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).optGranularity(Granularity.BATCH).build();
        Served served = new Served(ALL, it);
        net.addListeners(served);
        net.fit(it, 3);
        assertEquals(3, served.epochs.size());
        for (int e = 0; e < 3; e++) {
            List<int[]> epoch = served.epochs.get(e);
            assertEquals(6, epoch.size());
            assertEveryExampleOnce(epoch, 48);
            // Whole source batches, in the strategy's order.
            for (int k = 0; k < 6; k++) {
                assertArrayEquals(TestData.range(8 * served.orders.get(e)[0][k], 8 * served.orders.get(e)[0][k] + 8),
                        epoch.get(k), "epoch " + e + ", batch " + k);
            }
        }
        assertFalse(Arrays.equals(served.orders.get(1)[0], served.orders.get(2)[0]), "PairBalance reorders");
        // The epoch ends with its last gradient (so a checkpoint at onEpochEnd holds the next orders); reset() serves it.
        assertEquals(3, it.ordering().epoch());
        it.reset();
        assertEquals(3, it.ordering().epoch());

        MultiLayerNetwork ref = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(ref).setData(source(ALL, 8))
                .setOrdering(OrderingConfig.of("cd-grab", 3)).optBatchSize(8).build()) {
            t.fit(3);
            assertArrayEquals(t.ordering().order(0), it.ordering().order(0));
        }
        assertArrayEquals(TestData.params(ref), TestData.params(net), 0f);
    }

    @Test
    void computationGraphFitsOnTheIterator() {
        ComputationGraph g = TestData.graphMlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(g)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).optGranularity(Granularity.BATCH).build();
        Served served = new Served(ALL, it);
        g.addListeners(served);
        g.fit(it, 2);
        assertEquals(2, served.epochs.size());
        assertEveryExampleOnce(served.epochs.get(1), 48);
        ComputationGraph ref = TestData.graphMlp(5, 6, 3, new Adam(0.01), 4);
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(ref).setData(source(ALL, 8))
                .setOrdering(OrderingConfig.of("cd-grab", 3)).optBatchSize(8).build()) {
            t.fit(2);
        }
        assertArrayEquals(TestData.params(ref), TestData.params(g), 0f);
    }

    @Test
    void lastLayerGranularityWithTwoWorkersServesJoinedWorkerSteps() {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 4);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 5)).optGranularity(Granularity.EXAMPLE_LAST_LAYER).optWorkers(2)
                .build();
        assertEquals(8, it.batch(), "default: the source's batch size, split over the workers");
        assertEquals(6, it.batchesPerEpoch());
        Served served = new Served(ALL, it);
        net.addListeners(served);
        net.fit(it, 3);
        for (int e = 0; e < 3; e++) {
            List<int[]> epoch = served.epochs.get(e);
            assertEquals(6, epoch.size());
            assertEveryExampleOnce(epoch, 48);
            int[][] o = served.orders.get(e);
            for (int k = 0; k < 6; k++) {
                // Worker 0 owns examples 0..23, worker 1 owns 24..47 (contiguous shards of single examples).
                int[] expected = new int[8];
                for (int i = 0; i < 4; i++) {
                    expected[i] = o[0][4 * k + i];
                    expected[4 + i] = 24 + o[1][4 * k + i];
                }
                assertArrayEquals(expected, epoch.get(k), "epoch " + e + ", batch " + k);
            }
        }
        assertFalse(Arrays.equals(served.orders.get(1)[0], served.orders.get(2)[0]), "CD-GraB reorders");

        // The trainer with two workers computes the same steps (summed per worker instead of in one batch).
        MultiLayerNetwork ref = TestData.mlp(5, 6, 3, new Sgd(0.1), 4);
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(ref).setData(source(ALL, 8))
                .setOrdering(OrderingConfig.of("cd-grab", 5)).optWorkers(2).optBatchSize(4)
                .optGranularity(Granularity.EXAMPLE_LAST_LAYER).build()) {
            for (int e = 0; e < 3; e++) {
                assertArrayEquals(served.orders.get(e)[0], t.ordering().order(0), "epoch " + e);
                assertArrayEquals(served.orders.get(e)[1], t.ordering().order(1), "epoch " + e);
                t.fitEpoch();
            }
        }
        float[] a = TestData.params(ref);
        float[] b = TestData.params(net);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f, "parameter " + i);
        }
    }

    @Test
    void masksOfTimeSeriesSurviveIntoServedBatchesAndTraining() {
        DataSet seq = TestData.sequences(24, 3, 2, 6, 9);
        List<DataSet> batches = TestData.batches(seq, 4);
        MultiLayerNetwork net = TestData.rnn(3, 4, 2, new Adam(0.02), 1);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(batches))
                .setModel(net).optOrdering(OrderingConfig.of("cd-grab", 2)).optGranularity(Granularity.BATCH).build();
        assertEquals(3, it.inputColumns(), "features per time step");
        assertEquals(2, it.totalOutcomes(), "classes");
        assertEquals(4, it.batch());
        // A pass without training: every served batch is a source batch, masks included.
        List<int[]> order = new ArrayList<>();
        int[] o = it.ordering().order(0);
        int k = 0;
        while (it.hasNext()) {
            DataSet d = it.next();
            DataSet expected = batches.get(o[k++]);
            assertEquals(expected.getFeatures(), d.getFeatures());
            assertEquals(expected.getLabels(), d.getLabels());
            assertEquals(expected.getFeaturesMaskArray(), d.getFeaturesMaskArray());
            assertEquals(expected.getLabelsMaskArray(), d.getLabelsMaskArray());
        }
        assertEquals(6, k);
        it.reset();

        // Training on it equals fit on the original batches (with their masks) in the orders served.
        List<int[]> orders = new ArrayList<>();
        net.addListeners(new BaseTrainingListener() {
            int seen;

            @Override
            public void onGradientCalculation(Model model) {
                if (seen++ % 6 == 0) {
                    orders.add(it.ordering().order(0));
                }
                MultiLayerNetwork m = (MultiLayerNetwork) model;
                assertTrue(m.getLayer(0).getMaskArray() != null, "feature mask set during training");
                assertTrue(m.getOutputLayer().getMaskArray() != null, "label mask set during training");
            }
        });
        net.fit(it, 3);
        assertEquals(3, orders.size());
        MultiLayerNetwork ref = TestData.rnn(3, 4, 2, new Adam(0.02), 1);
        for (int[] epochOrder : orders) {
            List<DataSet> epoch = new ArrayList<>();
            for (int u : epochOrder) {
                epoch.add(batches.get(u));
            }
            ref.fit(new ExistingDataSetIterator(epoch));
        }
        assertArrayEquals(TestData.params(ref), TestData.params(net), 0f);
        // Without the masks, training would have gone elsewhere.
        MultiLayerNetwork unmasked = TestData.rnn(3, 4, 2, new Adam(0.02), 1);
        for (int[] epochOrder : orders) {
            List<DataSet> epoch = new ArrayList<>();
            for (int u : epochOrder) {
                epoch.add(new DataSet(batches.get(u).getFeatures(), batches.get(u).getLabels()));
            }
            unmasked.fit(new ExistingDataSetIterator(epoch));
        }
        assertFalse(Arrays.equals(TestData.params(unmasked), TestData.params(net)));
    }

    @Test
    void preProcessorOnTheWrapperIsAppliedToEveryServedBatch() throws java.io.IOException {
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(ALL);
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).optGranularity(Granularity.BATCH).build();
        assertNull(it.getPreProcessor());
        it.setPreProcessor(norm);
        assertSame(norm, it.getPreProcessor());
        int[] o = it.ordering().order(0);
        for (int k = 0; k < 6; k++) {
            DataSet d = it.next();
            DataSet expected = TestData.rows(ALL, TestData.range(8 * o[k], 8 * o[k] + 8));
            norm.preProcess(expected);
            assertEquals(expected.getFeatures(), d.getFeatures());
            assertEquals(expected.getLabels(), d.getLabels());
        }
        it.reset();
        // Trains like fit on normalised batches in the same orders; the stored examples stay raw.
        List<int[]> orders = new ArrayList<>();
        net.addListeners(new BaseTrainingListener() {
            int seen;

            @Override
            public void onGradientCalculation(Model model) {
                if (seen++ % 6 == 0) {
                    orders.add(it.ordering().order(0));
                }
            }
        });
        net.fit(it, 2);
        assertEquals(ALL.getFeatures(), it.source().loadExamples(TestData.range(0, 48)).getFeatures());
        MultiLayerNetwork ref = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        for (int[] epochOrder : orders) {
            List<DataSet> epoch = new ArrayList<>();
            for (int u : epochOrder) {
                DataSet d = TestData.rows(ALL, TestData.range(8 * u, 8 * u + 8));
                norm.preProcess(d);
                epoch.add(d);
            }
            ref.fit(new ExistingDataSetIterator(epoch));
        }
        assertArrayEquals(TestData.params(ref), TestData.params(net), 0f);
    }

    @Test
    void metadataIsHonest() {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net).optGranularity(Granularity.BATCH).build();
        assertEquals(8, it.batch());
        assertEquals(5, it.inputColumns());
        assertEquals(3, it.totalOutcomes());
        assertTrue(it.resetSupported());
        assertFalse(it.asyncSupported());
        assertEquals(LABELS, it.getLabels());
        assertEquals(6, it.batchesPerEpoch());
        assertEquals(48, it.source().examples());
        OrderedDataSetIterator ex = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net)
                .optGranularity(Granularity.EXAMPLE_LAST_LAYER).optWorkers(3).optBatchSize(2).build();
        assertEquals(6, ex.batch());
        assertEquals(8, ex.batchesPerEpoch());
        assertEquals(6, ex.next().numExamples());
        assertThrows(UnsupportedOperationException.class, () -> it.next(3));
    }

    @Test
    void evaluationBetweenEpochsDoesNotAdvanceTheOrdering() {
        MultiLayerNetwork a = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator ia = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(a)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).optGranularity(Granularity.BATCH).build();
        Evaluation first = a.evaluate(ia);
        assertEquals(48, total(first));
        for (int e = 0; e < 3; e++) {
            a.fit(ia, 1);
            Evaluation ev = a.evaluate(ia);
            assertEquals(48, total(ev), "evaluation sees every example once");
        }
        MultiLayerNetwork b = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator ib = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(b)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).optGranularity(Granularity.BATCH).build();
        b.fit(ib, 3);
        assertArrayEquals(TestData.params(b), TestData.params(a), 0f);
        ib.reset();
        // a's last evaluation already moved to the next epoch (its reset followed a complete trained epoch).
        assertEquals(ib.ordering().epoch(), ia.ordering().epoch());
        assertArrayEquals(ib.ordering().order(0), ia.ordering().order(0));
    }

    private static int total(Evaluation ev) {
        int n = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                n += ev.getConfusionMatrix().getCount(i, j);
            }
        }
        return n;
    }

    @Test
    void multipleEpochsIteratorGivesTheSameTrainingAsFitWithEpochs() {
        // MultipleEpochsIterator resets the iterator right after serving an epoch's last batch, before it is trained.
        MultiLayerNetwork a = TestData.mlp(5, 6, 3, new Sgd(0.1), 4);
        OrderedDataSetIterator ia = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(a)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).build();
        a.fit(ia, 4);
        MultiLayerNetwork b = TestData.mlp(5, 6, 3, new Sgd(0.1), 4);
        OrderedDataSetIterator ib = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(b)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).build();
        b.fit(new MultipleEpochsIterator(4, ib));
        assertEquals(4, ib.ordering().epoch());
        assertArrayEquals(ia.ordering().order(0), ib.ordering().order(0));
        assertArrayEquals(TestData.params(a), TestData.params(b), "same parameters, bit for bit");
    }

    @Test
    void nextEpochWaitsForTheLastGradientAndRefusesWhenItNeverComes() {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Sgd(0.1), 4);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net)
                .optOrdering(OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSeed(3)
                        .optSignTimeout(java.time.Duration.ofMillis(300)).build())
                .optGranularity(Granularity.BATCH).build();
        List<DataSet> served = new ArrayList<>();
        while (it.hasNext()) {
            served.add(it.next());
        }
        net.fit(served.get(0));
        it.reset();
        assertTrue(it.hasNext(), "the next epoch is announced at once");
        for (int i = 1; i < served.size() - 1; i++) {
            net.fit(served.get(i));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertTrue(e.getMessage().contains("1 served batch(es) of epoch 0 reported no gradient"), e.getMessage());
        net.fit(served.get(served.size() - 1));
        assertEquals(1, it.ordering().epoch());
        assertEquals(8, it.next().numExamples(), "once the last gradient is in, the next epoch is served");
    }

    @Test
    void resetInTheMiddleOfATrainedEpochFails() {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net).optGranularity(Granularity.BATCH).build();
        net.fit(it.next());
        net.fit(it.next());
        IllegalStateException e = assertThrows(IllegalStateException.class, it::reset);
        assertTrue(e.getMessage().contains("2 of 6 batches"), e.getMessage());
        assertTrue(e.getMessage().contains("needs a whole epoch"), e.getMessage());
        while (it.hasNext()) {
            net.fit(it.next());
        }
        assertThrows(java.util.NoSuchElementException.class, it::next);
        it.reset();
        assertEquals(1, it.ordering().epoch());
    }

    @Test
    void randomReshufflingWithoutAModelReshufflesEveryPass() {
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(source(ALL, 4))
                .optOrdering(OrderingConfig.of("d-rr", 1)).optGranularity(Granularity.BATCH).build();
        TestData.Ids ids = new TestData.Ids(ALL);
        List<int[]> passes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<int[]> pass = new ArrayList<>();
            int[] firsts = new int[12];
            int k = 0;
            while (it.hasNext()) {
                int[] b = ids.of(it.next().getFeatures());
                pass.add(b);
                firsts[k++] = b[0];
            }
            assertEveryExampleOnce(pass, 48);
            passes.add(firsts);
            it.reset();
        }
        assertEquals(3, it.ordering().epoch());
        assertFalse(Arrays.equals(passes.get(0), passes.get(1)), "a new order each pass");
        assertFalse(Arrays.equals(passes.get(1), passes.get(2)), "a new order each pass");
    }

    @Test
    void misuseFailsWithClearMessages() {
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        fails(IllegalArgumentException.class, () -> OrderedDataSetIterator.builder().optGranularity(Granularity.EXAMPLE_EXACT),
                "example-exact", "DataParallelTrainer");
        fails(IllegalArgumentException.class, () -> OrderedDataSetIterator.builder().setSource(source(ALL, 8)).optGranularity(Granularity.BATCH).build(),
                "cd-grab orders by gradients", "setModel");
        fails(IllegalArgumentException.class, () -> OrderedDataSetIterator.builder().optGranularity(Granularity.BATCH).build(), "source iterator is required");
        fails(IllegalArgumentException.class,
                () -> OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net).optWorkers(2).optGranularity(Granularity.BATCH).build(),
                "example-last-layer", "DataParallelTrainer");
        OrderedDataSetIterator few = OrderedDataSetIterator.builder().setSource(source(TestData.blobs(3, 5, 3, 1), 3))
                .setModel(net).optGranularity(Granularity.EXAMPLE_LAST_LAYER).optWorkers(4).build();
        fails(IllegalArgumentException.class, few::hasNext, "3 examples", "4 workers");
        // mlp(5, 6, 3): 57 parameters, 21 of them in the output layer; refused when built, not at the first step.
        OrderingConfig k22 = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSketchDim(22).build();
        fails(IllegalArgumentException.class, () -> OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net)
                .optOrdering(k22).optGranularity(Granularity.EXAMPLE_LAST_LAYER).build(), "sketch dimension 22",
                "gradient dimension 21", "example-last-layer", "batch units (all 57 parameters)");
        OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(net).optOrdering(k22)
                .optGranularity(Granularity.BATCH).build();

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(new Sgd(0.1)).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork lossLayer = new MultiLayerNetwork(conf);
        lossLayer.init();
        fails(IllegalArgumentException.class, () -> OrderedDataSetIterator.builder().setSource(source(ALL, 8)).setModel(lossLayer)
                .optGranularity(Granularity.EXAMPLE_LAST_LAYER).build(), "OutputLayer", "LossLayer");

        ExistingDataSetIterator once = new ExistingDataSetIterator(TestData.batches(ALL, 8).iterator());
        while (once.hasNext()) {
            once.next();
        }
        OrderedDataSetIterator exhausted = OrderedDataSetIterator.builder().setSource(once).setModel(net).optGranularity(Granularity.BATCH).build();
        fails(IllegalArgumentException.class, exhausted::hasNext, "exhausted", "cannot reset");
    }

    private static void fails(Class<? extends Throwable> type, Executable e, String... fragments) {
        Throwable t = assertThrows(type, e);
        for (String f : fragments) {
            assertTrue(t.getMessage() != null && t.getMessage().contains(f), "'" + f + "' missing in: " + t.getMessage());
        }
    }

    @Test
    void storeIsReadOnceOnFirstUse() {
        ExampleSource<DataSet> s = OrderedDataSetIterator.builder().setSource(source(ALL, 8))
                .optOrdering(OrderingConfig.of("fixed", 0)).optGranularity(Granularity.BATCH).build().source();
        assertEquals(48, s.examples());
        assertFalse(s.onDemand());
        assertEquals(6, s.sourceBatches());
    }

    @Test
    void examplesAreServedInTheSourcesBatchSizeNotItsFirstBatchs() {
        // A short first batch (7), then batches of 16: the source's size is its largest batch, not the first one's.
        List<DataSet> uneven = new ArrayList<>();
        uneven.add(TestData.rows(ALL, TestData.range(0, 7)));
        uneven.add(TestData.rows(ALL, TestData.range(7, 23)));
        uneven.add(TestData.rows(ALL, TestData.range(23, 39)));
        uneven.add(TestData.rows(ALL, TestData.range(39, 48)));
        OrderedDataSetIterator it = OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(uneven))
                .optOrdering(OrderingConfig.of("d-rr", 0)).build();
        assertEquals(16, it.batch());
        assertEquals(3, it.batchesPerEpoch(), "48 examples in batches of 16");
        OrderedDataSetIterator chosen = OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(uneven))
                .optOrdering(OrderingConfig.of("d-rr", 0)).optBatchSize(12).build();
        assertEquals(4, chosen.batchesPerEpoch(), "optBatchSize wins");
    }
}
