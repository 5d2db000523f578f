package org.dgrab.dl4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/** The adapters of both model types: which model gets which adapter, replicas, counts, data checks, save and load. */
class ModelAdapterTest {
    private static final int B = 8;

    static Stream<Arguments> models() {
        Supplier<Model> mln = () -> TestData.mlp(4, 5, 3, new Adam(0.05), 21);
        Supplier<Model> graph = () -> TestData.graphMlp(4, 5, 3, new Adam(0.05), 22);
        return Stream.of(Arguments.of("MultiLayerNetwork", mln), Arguments.of("ComputationGraph", graph));
    }

    @Test
    void eachModelTypeGetsItsAdapter() {
        assertTrue(ModelAdapter.of(TestData.mlp(4, 5, 3, new Sgd(0.1), 1)) instanceof MultiLayerNetworkAdapter);
        assertTrue(ModelAdapter.of(TestData.graphMlp(4, 5, 3, new Sgd(0.1), 1)) instanceof ComputationGraphAdapter);
        assertTrue(ModelAdapter.of(TestData.graphMlp(4, 5, 3, new Sgd(0.1), 1)).isGraph());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelAdapter.of(null));
        assertTrue(e.getMessage().contains("MultiLayerNetwork and ComputationGraph"), e.getMessage());
        MultiLayerNetwork uninitialised = new MultiLayerNetwork(
                TestData.mlp(4, 5, 3, new Sgd(0.1), 1).getLayerWiseConfigurations());
        e = assertThrows(IllegalArgumentException.class, () -> ModelAdapter.of(uninitialised));
        assertTrue(e.getMessage().contains("net.init()"), e.getMessage());
    }

    @Test
    void dataOfAnotherShapeIsNamed() {
        ModelAdapter graph = ModelAdapter.of(TestData.twoInputGraph(new Sgd(0.1), 1));
        ExampleStore oneInput = ExampleStore.of(List.of(TestData.blobs(4, 2, 3, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> graph.checkData(oneInput));
        assertTrue(e.getMessage().contains("1 feature array(s)") && e.getMessage().contains("takes 2 input(s)"),
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientVectorIsOneRankOneViewOfTheGradientArray(String name, Supplier<Model> factory) {
        ModelAdapter a = ModelAdapter.of(factory.get());
        INDArray view = a.gradientView();
        INDArray v = a.gradientVector();
        assertEquals(1, v.rank());
        assertEquals(view.length(), v.length());
        assertSame(v, a.gradientVector(), "made once, not per call");
        // Same memory: what the backward pass writes into the gradient array is what the ordering reads.
        view.putScalar(view.length() - 1, 7.5f);
        assertEquals(7.5f, v.getFloat(v.length() - 1), 0f);
        v.putScalar(0, -2.5f);
        assertEquals(-2.5f, view.getFloat(0), 0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void replicaIsADeepCopyWithoutListeners(String name, Supplier<Model> factory) {
        Model m = factory.get();
        ModelAdapter a = ModelAdapter.of(m);
        setListeners(m, new ScoreIterationListener(1));
        assertEquals(1, a.listeners().size(), "before replica");
        ModelAdapter r = a.replica();
        assertEquals(1, a.listeners().size());
        assertTrue(r.listeners().isEmpty());
        assertArrayEquals(TestData.params(m), TestData.params(r.model()), 0f);
        r.params().addi(1);
        assertFalse(TestData.params(m)[0] == TestData.params(r.model())[0], "the replica's parameters are a copy");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void sharingReplicaReadsTheModelsParametersAndFollowsItsCounts(String name, Supplier<Model> factory) {
        ModelAdapter a = ModelAdapter.of(factory.get());
        ModelAdapter r = a.sharingReplica();
        a.params().addi(0.5);
        assertArrayEquals(TestData.params(a.model()), TestData.params(r.model()), 0f);
        DataSet batch = TestData.blobs(B, 4, 3, 3);
        a.setBatch(batch);
        a.computeGradient();
        r.setBatch(batch);
        r.computeGradient();
        assertNotSame(a.gradientView(), r.gradientView());
        assertArrayEquals(a.gradientView().dup().data().asFloat(), r.gradientView().dup().data().asFloat(), 0f);
        a.applyUpdate(B);
        a.epochEnd();
        r.followCounts(a);
        assertEquals(1, r.iterationCount());
        assertEquals(1, r.epochCount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void epochEventsReachListenersAndCount(String name, Supplier<Model> factory) {
        Model m = factory.get();
        List<String> calls = new ArrayList<>();
        setListeners(m, new BaseTrainingListener() {
            @Override
            public void onEpochStart(Model model) {
                calls.add("start");
            }

            @Override
            public void onEpochEnd(Model model) {
                calls.add("end");
            }
        });
        ModelAdapter a = ModelAdapter.of(m);
        a.epochStart();
        a.epochEnd();
        assertEquals(List.of("start", "end"), calls);
        assertEquals(1, a.epochCount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void saveAndLoadCarryParametersUpdaterStateAndCounts(String name, Supplier<Model> factory) throws IOException {
        ModelAdapter trained = ModelAdapter.of(factory.get());
        DataSet batch = TestData.blobs(B, 4, 3, 4);
        for (int i = 0; i < 2; i++) {
            trained.setBatch(batch);
            trained.computeGradient();
            trained.applyUpdate(B);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        trained.save(bytes);
        ModelAdapter fresh = ModelAdapter.of(factory.get());
        fresh.load(new ByteArrayInputStream(bytes.toByteArray()));
        TestData.assertSameTrainingState(trained.model(), fresh.model());
        // The same next step from the same updater state.
        for (ModelAdapter a : List.of(trained, fresh)) {
            a.setBatch(batch);
            a.computeGradient();
            a.applyUpdate(B);
        }
        TestData.assertSameTrainingState(trained.model(), fresh.model());
    }

    @Test
    void loadRefusesAnotherConfigurationAndChangesNothing() throws IOException {
        ByteArrayOutputStream wider = new ByteArrayOutputStream();
        ModelAdapter.of(TestData.mlp(4, 6, 3, new Sgd(0.1), 1)).save(wider);
        ModelAdapter other = ModelAdapter.of(TestData.mlp(4, 5, 3, new Sgd(0.1), 1));
        float[] before = TestData.params(other.model());
        IOException e = assertThrows(IOException.class, () -> other.load(new ByteArrayInputStream(wider.toByteArray())));
        assertTrue(e.getMessage().contains("configuration differs") && e.getMessage().contains("nout: 6 instead of 5"),
                e.getMessage());
        // Same parameter count, other updater: refused as well, not only by counting parameters.
        ByteArrayOutputStream adam = new ByteArrayOutputStream();
        ModelAdapter.of(TestData.mlp(4, 5, 3, new Adam(0.1), 1)).save(adam);
        e = assertThrows(IOException.class, () -> other.load(new ByteArrayInputStream(adam.toByteArray())));
        assertTrue(e.getMessage().contains("configuration differs"), e.getMessage());
        assertArrayEquals(before, TestData.params(other.model()), 0f);
        IOException junk = assertThrows(IOException.class, () -> other.load(new ByteArrayInputStream(new byte[] {1, 2})));
        assertTrue(junk.getMessage().contains("no readable MultiLayerNetwork"), junk.getMessage());
    }

    @Test
    void countersAreNoPartOfTheConfiguration() throws IOException {
        MultiLayerNetwork trained = TestData.mlp(4, 5, 3, new Sgd(0.1), 1);
        trained.fit(TestData.blobs(B, 4, 3, 1));
        trained.incrementEpochCount();
        ModelAdapter fresh = ModelAdapter.of(TestData.mlp(4, 5, 3, new Sgd(0.1), 1));
        assertEquals(null, ConfigurationJson.firstDifference(fresh.configurationJson(fresh.model()),
                fresh.configurationJson(trained)));
    }

    private static void setListeners(Model m, org.deeplearning4j.optimize.api.TrainingListener l) {
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).setListeners(l);
        } else {
            ((ComputationGraph) m).setListeners(l);
        }
    }
}
