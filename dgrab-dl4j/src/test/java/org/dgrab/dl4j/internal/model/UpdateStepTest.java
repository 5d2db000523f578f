package org.dgrab.dl4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link UpdateStep} through {@link ModelAdapter#applyUpdate}: the same parameters, counts and listener calls as
 * DL4J's own {@code fit} on the same batch, whether the gradient was computed by the model itself or copied into it.
 */
class UpdateStepTest {
    private static final int B = 8;

    static Stream<Arguments> models() {
        Supplier<Model> mln = () -> TestData.mlp(4, 5, 3, new Adam(0.05), 1e-3, 11);
        Supplier<Model> graph = () -> TestData.graphMlp(4, 5, 3, new Adam(0.05), 12);
        return Stream.of(Arguments.of("MultiLayerNetwork", mln), Arguments.of("ComputationGraph", graph));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void threeStepsEqualFitBitForBit(String name, Supplier<Model> factory) {
        DataSet batch = TestData.blobs(B, 4, 3, 5);
        Model expected = factory.get();
        Model actual = factory.get();
        ModelAdapter a = ModelAdapter.of(actual);
        for (int i = 0; i < 3; i++) {
            fit(expected, batch);
            a.setBatch(batch);
            a.computeGradient();
            a.applyUpdate(B);
        }
        TestData.assertSameTrainingState(expected, actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientComputedInAReplicaUpdatesLikeFit(String name, Supplier<Model> factory) {
        // The trained model never runs a backward pass: its updater gets a gradient object built over its views.
        DataSet batch = TestData.blobs(B, 4, 3, 6);
        Model expected = factory.get();
        Model actual = factory.get();
        ModelAdapter master = ModelAdapter.of(actual);
        ModelAdapter replica = master.replica();
        for (int i = 0; i < 2; i++) {
            fit(expected, batch);
            replica.params().assign(master.params());
            replica.setBatch(batch);
            replica.computeGradient();
            master.gradientView().assign(replica.gradientView());
            master.applyUpdate(B);
        }
        TestData.assertSameTrainingState(expected, actual);
    }

    @Test
    void listenersSeeTheGradientThenTheIteration() {
        MultiLayerNetwork net = TestData.mlp(4, 5, 3, new Adam(0.05), 13);
        List<String> calls = new ArrayList<>();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                calls.add("gradient");
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                calls.add("iteration " + iteration + " epoch " + epoch);
            }
        });
        ModelAdapter a = ModelAdapter.of(net);
        a.setBatch(TestData.blobs(B, 4, 3, 7));
        a.computeGradient();
        a.applyUpdate(B);
        a.applyUpdate(B);
        assertEquals(List.of("gradient", "iteration 0 epoch 0", "gradient", "iteration 1 epoch 0"), calls);
        assertEquals(2, a.iterationCount());
    }

    @Test
    void otherOptimisationAlgorithmsAreRefused() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1)
                .optimizationAlgo(OptimizationAlgorithm.LBFGS).dataType(DataType.FLOAT).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelAdapter.of(net));
        assertTrue(e.getMessage().contains("stochastic gradient descent") && e.getMessage().contains("LBFGS"),
                e.getMessage());
    }

    private static void fit(Model m, DataSet batch) {
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).fit(batch);
        } else {
            ((ComputationGraph) m).fit(batch);
        }
    }
}
