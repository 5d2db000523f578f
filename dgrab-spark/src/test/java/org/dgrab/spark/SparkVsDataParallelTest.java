package org.dgrab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.dl4j.trainer.EpochStats;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * End to end: with averaging frequency 1 and plain SGD, Spark parameter averaging is synchronous data-parallel SGD,
 * so the Spark trainer must visit the same orders as {@code DataParallelTrainer} and see the same losses (up to the
 * float rounding of averaging parameters instead of summing gradients).
 */
class SparkVsDataParallelTest {
    private static final int WORKERS = 4;
    private static final int BATCH = 8;
    private static final int EPOCHS = 3;

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestData.context("local[4]", "dgrab-spark vs DataParallelTrainer");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** The same 6-8-3 network as {@link SparkTestData#mlp} as a ComputationGraph, with the MLP's weights. */
    private static ComputationGraph graph(MultiLayerNetwork weights) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Sgd(0.1)).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(SparkTestData.FEATURES).nOut(8)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8)
                        .nOut(SparkTestData.CLASSES).activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build());
        g.init();
        g.params().assign(weights.params());
        return g;
    }

    @Test
    void aComputationGraphTrainsWithTheSameOrdersAsDataParallelTrainer() {
        List<DataSet> examples = SparkTestData.examples(WORKERS * BATCH * 5, 12);
        OrderingConfig cfg = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSeed(6).optSketchDim(32).build();
        MultiLayerNetwork weights = SparkTestData.mlp(8);
        List<int[][]> dptOrders = new ArrayList<>();
        List<EpochStats> dptStats = new ArrayList<>();
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(graph(weights))
                .setData(new ExistingDataSetIterator(examples)).setOrdering(cfg).optWorkers(WORKERS)
                .optBatchSize(BATCH).build()) {
            for (int e = 0; e < 2; e++) {
                int[][] o = new int[WORKERS][];
                for (int w = 0; w < WORKERS; w++) {
                    o[w] = t.ordering().order(w);
                }
                dptOrders.add(o);
                dptStats.add(t.fitEpoch());
            }
        }
        Model g = graph(weights);
        try (SparkOrderedTrainer t = SparkOrderedTrainer.builder().setContext(sc).setModel(g)
                .setData(new ExistingDataSetIterator(examples)).setOrdering(cfg).optWorkers(WORKERS)
                .optBatchSize(BATCH).build()) {
            for (int e = 0; e < 2; e++) {
                assertArrayEquals(dptOrders.get(e), t.orders(), "orders of epoch " + e);
                assertEquals(dptStats.get(e).meanBatchLoss(), t.fitEpoch().meanBatchLoss(), 1e-4, "loss of epoch " + e);
            }
            assertTrue(t.model() instanceof ComputationGraph);
        }
    }

    @Test
    void averagingEveryStepGivesTheOrdersAndLossesOfDataParallelTrainer() {
        List<DataSet> examples = SparkTestData.examples(WORKERS * BATCH * 7, 11);
        OrderingConfig cfg = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSeed(5).optSketchDim(32).build();
        MultiLayerNetwork initial = SparkTestData.mlp(3);

        List<int[][]> dptOrders = new ArrayList<>();
        List<EpochStats> dptStats = new ArrayList<>();
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(initial.clone())
                .setData(new ExistingDataSetIterator(examples)).setOrdering(cfg)
                .optWorkers(WORKERS).optBatchSize(BATCH).build()) {
            for (int e = 0; e < EPOCHS; e++) {
                int[][] o = new int[WORKERS][];
                for (int w = 0; w < WORKERS; w++) {
                    o[w] = t.ordering().order(w);
                }
                dptOrders.add(o);
                dptStats.add(t.fitEpoch());
            }
        }
        MultiLayerNetwork sparkNet = initial.clone();
        try (SparkOrderedTrainer t = SparkOrderedTrainer.builder().setContext(sc).setModel(sparkNet)
                .setData(new ExistingDataSetIterator(examples)).setOrdering(cfg).optWorkers(WORKERS)
                .optBatchSize(BATCH).build()) {
            for (int e = 0; e < EPOCHS; e++) {
                assertArrayEquals(dptOrders.get(e), t.orders(), "orders of epoch " + e);
                SparkEpochStats s = t.fitEpoch();
                assertEquals(dptStats.get(e).meanBatchLoss(), s.meanBatchLoss(), 1e-4, "loss of epoch " + e);
                assertEquals(dptStats.get(e).examples(), s.examples());
                assertEquals(0, s.duplicates());
            }
            assertEquals(EPOCHS, t.epoch());
        }
        assertTrue(dptStats.get(EPOCHS - 1).meanBatchLoss() < dptStats.get(0).meanBatchLoss(), "it learns");
        boolean reordered = false;
        for (int w = 0; w < WORKERS; w++) {
            reordered |= !java.util.Arrays.equals(dptOrders.get(1)[w], dptOrders.get(2)[w]);
        }
        assertTrue(reordered, "CD-GraB changed the orders, so equal orders mean equal balancing");
    }
}
