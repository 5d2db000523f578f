package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.NonFinitePolicy;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Every misuse of the trainer fails early with a message that says what is wrong. */
class BadInputTest {
    private static final DataSet ALL = TestData.blobs(24, 4, 3, 61);

    private static DataParallelTrainer.Builder valid() {
        return DataParallelTrainer.builder().setModel(TestData.logreg(4, 3, new Sgd(0.1), 1))
                .setData(ExampleStore.of(List.of(ALL))).setOrdering(OrderingConfig.of("cd-grab", 0)).optBatchSize(4);
    }

    private static void fails(Class<? extends Throwable> type, Executable e, String... fragments) {
        Throwable t = assertThrows(type, e);
        for (String f : fragments) {
            assertTrue(t.getMessage() != null && t.getMessage().contains(f), "'" + f + "' missing in: " + t.getMessage());
        }
    }

    @Test
    void featureAndLabelCountsMustMatch() {
        DataSet bad = new DataSet(Nd4j.rand(DataType.FLOAT, 5, 4), Nd4j.zeros(DataType.FLOAT, 4, 3));
        fails(IllegalArgumentException.class, () -> ExampleStore.of(List.of(ALL, bad)), "batch 1", "5 feature rows",
                "4 label rows");
        fails(IllegalArgumentException.class, () -> valid().setData(new ExistingDataSetIterator(List.of(bad))),
                "5 feature rows", "4 label rows");
    }

    @Test
    void exhaustedIteratorThatCannotResetIsRefused() {
        ExistingDataSetIterator once = new ExistingDataSetIterator(TestData.batches(ALL, 8).iterator());
        assertFalse(once.resetSupported());
        while (once.hasNext()) {
            once.next();
        }
        fails(IllegalArgumentException.class, () -> valid().setData(once), "exhausted", "cannot reset",
                "ExistingDataSetIterator");
    }

    @Test
    void unusedIteratorThatCannotResetIsReadOnce() {
        ExistingDataSetIterator once = new ExistingDataSetIterator(TestData.batches(ALL, 8).iterator());
        DataParallelTrainer t = valid().setData(once).build();
        assertEquals(24, t.data().size());
        assertEquals(3, t.data().sourceBatches());
        t.close();
    }

    @Test
    void sketchWiderThanTheUnitsGradientIsRefusedWhenBuilt() {
        // logreg(4, 3): 15 parameters, all of them in the output layer.
        OrderingConfig wide = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSketchDim(16).build();
        fails(IllegalArgumentException.class, () -> valid().setOrdering(wide).build(), "sketch dimension 16",
                "gradient dimension 15", "batch units");
        fails(IllegalArgumentException.class, () -> valid().setOrdering(wide)
                .optGranularity(Granularity.EXAMPLE_LAST_LAYER).build(), "sketch dimension 16", "gradient dimension 15",
                "example-last-layer units");
        OrderingConfig fits = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSketchDim(15).build();
        valid().setOrdering(fits).build().close();
    }

    @Test
    void emptyDataIsRefused() {
        fails(IllegalArgumentException.class, () -> ExampleStore.of(List.of()), "no data");
        fails(IllegalArgumentException.class, () -> valid().setData(new ExistingDataSetIterator(List.<DataSet>of())),
                "no data");
        fails(IllegalArgumentException.class, () -> valid().setData((ExampleStore) null).build(), "training data is required");
    }

    @Test
    void fewerExamplesThanWorkersIsRefused() {
        ExampleStore three = ExampleStore.of(List.of(TestData.blobs(3, 4, 3, 1)));
        fails(IllegalArgumentException.class, () -> valid().setData(three).optWorkers(5).build(), "5 workers", "3 examples");
        fails(IllegalArgumentException.class, () -> valid().optWorkers(0), ">= 1");
    }

    @Test
    void missingPartsAreNamed() {
        fails(IllegalArgumentException.class, () -> valid().setModel(null).build(), "model is required");
        fails(IllegalArgumentException.class, () -> valid().setOrdering(null).build(), "ordering is required");
        fails(IllegalArgumentException.class, () -> valid().optBatchSize(0), "batch size must be >= 1");
        fails(IllegalArgumentException.class, () -> valid().optMicrobatch(0), "micro-batch size must be >= 1");
    }

    @Test
    void uninitialisedModelIsRefused() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
        fails(IllegalArgumentException.class, () -> valid().setModel(new MultiLayerNetwork(conf)).build(), "not initialised",
                "init()");
    }

    @Test
    void microbatchMustDivideTheBatch() {
        fails(IllegalArgumentException.class,
                () -> valid().optGranularity(Granularity.EXAMPLE_EXACT).optBatchSize(6).optMicrobatch(4).build(),
                "batch size 6", "multiple of the micro-batch size 4");
    }

    @Test
    void microbatchNeedsExactGranularity() {
        fails(IllegalArgumentException.class, () -> valid().optMicrobatch(2).build(), "micro-batch", "example-exact", "batch");
        fails(IllegalArgumentException.class,
                () -> valid().optGranularity(Granularity.EXAMPLE_LAST_LAYER).optMicrobatch(1).build(), "example-last-layer");
    }

    @Test
    void onlyStochasticGradientDescentIsSupported() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().optimizationAlgo(OptimizationAlgorithm.LBFGS)
                .updater(new Sgd(0.1)).dataType(DataType.FLOAT).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // Refused when the trainer is built, before any training.
        fails(IllegalArgumentException.class, () -> valid().setModel(net).build(), "stochastic gradient descent", "LBFGS");
    }

    @Test
    void lastLayerGranularityNeedsADenseOutputLayer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(new Sgd(0.1)).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        fails(IllegalArgumentException.class, () -> valid().setModel(net).optGranularity(Granularity.EXAMPLE_LAST_LAYER).build(),
                "OutputLayer", "LossLayer", "batch (or example-exact with DataParallelTrainer)");
        // The other granularities train it.
        try (DataParallelTrainer t = valid().setModel(net).optGranularity(Granularity.EXAMPLE_EXACT).build()) {
            assertTrue(Double.isFinite(t.fitEpoch().meanBatchLoss()));
        }
    }

    /** Data whose example 13 (in worker 1's shard with 2 workers of 12 examples) has a NaN feature. */
    static DataSet withNaN() {
        DataSet d = TestData.blobs(24, 4, 3, 62);
        d.getFeatures().putScalar(13, 2, Double.NaN);
        return d;
    }

    @Test
    void nonFiniteGradientFailsNamingWorkerEpochAndStep() {
        for (Granularity g : List.of(Granularity.BATCH, Granularity.EXAMPLE_LAST_LAYER)) {
            DataParallelTrainer t = valid().setData(ExampleStore.of(List.of(withNaN()))).optWorkers(2).optGranularity(g).build();
            NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> t.fit(1));
            assertEquals(1, e.worker(), g.id());
            assertEquals(0, e.epoch(), g.id());
            // The unit at the reported step holds example 13 (worker 1's local example 1).
            int unit = t.ordering().order(1)[e.step()];
            assertEquals(unit, e.unit());
            boolean holds = false;
            for (int ex : t.layout().examples(1, unit)) {
                holds |= ex == 13;
            }
            assertTrue(holds, g.id() + ": unit " + unit + " does not hold the bad example");
            assertTrue(e.getMessage().contains("worker 1") && e.getMessage().contains("epoch 0")
                    && e.getMessage().contains("step " + e.step()), e.getMessage());
            t.close();
        }
    }

    @Test
    void nonFiniteGradientIsSkippedOnRequest() {
        OrderingConfig skip = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optNonFinitePolicy(NonFinitePolicy.SKIP).build();
        try (DataParallelTrainer t = valid().setData(ExampleStore.of(List.of(withNaN()))).optWorkers(2)
                .optGranularity(Granularity.EXAMPLE_LAST_LAYER).setOrdering(skip).build()) {
            List<EpochStats> s = t.fit(2);
            assertEquals(2, s.size());
            assertEquals(2, t.epoch());
            assertTrue(t.ordering().stats().skippedUnits() > 0);
            for (int w = 0; w < 2; w++) {
                assertTrue(org.dgrab.core.internal.random.Permutations.isPermutation(t.ordering().order(w)));
            }
        }
    }
}
