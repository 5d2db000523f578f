package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * BatchNormalization's running mean and variance are updated through the gradient without division by the batch
 * size; a data-parallel step must average those updates over workers, not sum them.
 */
class RunningStatisticsTest {

    static MultiLayerNetwork batchNormNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(6).decay(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void statisticRangesCoverExactlyTheBatchNormEstimates() {
        MultiLayerNetwork net = batchNormNet();
        long[][] ranges = ModelAdapter.of(net).statisticRanges();
        long before = net.getLayer(0).numParams() + 2 * 6; // dense W and b, then gamma and beta
        assertEquals(2, ranges.length, "global mean and variance (or log-std)");
        assertArrayEquals(new long[] {before, 6}, ranges[0]);
        assertArrayEquals(new long[] {before + 6, 6}, ranges[1]);
        float[] mean = net.getLayer(1).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).dup().data().asFloat();
        float[] flat = TestData.params(net);
        for (int i = 0; i < 6; i++) {
            assertEquals(mean[i], flat[(int) before + i], 0f);
        }
        assertEquals(0, ModelAdapter.of(TestData.mlp(5, 8, 3, new Sgd(0.1), 1)).statisticRanges().length);
    }

    @Test
    void twoWorkersOnIdenticalShardsStepExactlyLikeOneWorker() {
        // Both workers see the same 8 examples, so the averaged gradient is the one-worker gradient; a summed
        // running-statistics update would move BatchNorm's estimates twice as far.
        DataSet batch = TestData.blobs(8, 5, 3, 11);
        MultiLayerNetwork one = batchNormNet();
        MultiLayerNetwork two = one.clone();
        float[] start = TestData.params(one);

        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(one).setData(ExampleStore.of(List.of(batch)))
                .setOrdering(OrderingConfig.of("fixed", 0)).optBatchSize(8).build()) {
            t.step();
        }
        for (ExecutionMode mode : ExecutionMode.values()) {
            MultiLayerNetwork m = two.clone();
            try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(m)
                    .setData(ExampleStore.of(List.of(batch, batch.copy()))).setOrdering(OrderingConfig.of("fixed", 0))
                    .optWorkers(2).optBatchSize(8).optExecution(mode).build()) {
                t.step();
            }
            assertArrayEquals(TestData.params(one), TestData.params(m), 1e-6f, mode.name());
        }
        int meanOffset = 5 * 6 + 6 + 2 * 6; // dense W and b, gamma, beta
        float[] mean0 = java.util.Arrays.copyOfRange(start, meanOffset, meanOffset + 6);
        float[] mean1 = one.getLayer(1).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).dup().data().asFloat();
        assertFalse(java.util.Arrays.equals(mean0, mean1), "the step moved the running mean");
    }
}
