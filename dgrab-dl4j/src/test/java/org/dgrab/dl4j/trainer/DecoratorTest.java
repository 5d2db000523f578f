package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.strategy.ForwardingOrderingStrategy;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** The trainer's ordering decorator: it sees every gradient, changes nothing, and is checked at build time. */
class DecoratorTest {
    private static final int N = 40;
    private static final int WORKERS = 2;
    private static final int BATCH = 4;

    /** Counts gradients; optionally asks for gradients even when the wrapped ordering ignores them. */
    static final class Watching extends ForwardingOrderingStrategy {
        private final boolean forceGradients;
        int observed;
        long length;

        Watching(OrderingStrategy delegate, boolean forceGradients) {
            super(delegate);
            this.forceGradients = forceGradients;
        }

        @Override
        protected OrderingStrategy wrap(OrderingStrategy fresh) {
            return new Watching(fresh, forceGradients);
        }

        @Override
        public boolean needsGradients() {
            return forceGradients || super.needsGradients();
        }

        @Override
        public void observe(int worker, int step, INDArray gradient) {
            super.observe(worker, step, gradient);
            observed++;
            length = gradient.length();
        }
    }

    private static DataParallelTrainer.Builder builder(MultiLayerNetwork net, String ordering) {
        DataSet data = TestData.blobs(N, 3, 2, 5);
        return DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(java.util.List.of(data)))
                .setOrdering(OrderingConfig.of(ordering, 3)).optWorkers(WORKERS).optBatchSize(BATCH);
    }

    /**
     * Trains the same model with and without the decorator and checks that both end in the same state.
     *
     * @return the decorator, to read what it saw
     */
    private static Watching trainBoth(String ordering, boolean forceGradients, int epochs) {
        MultiLayerNetwork plain = TestData.mlp(3, 5, 2, new Sgd(0.1), 7);
        MultiLayerNetwork watched = TestData.mlp(3, 5, 2, new Sgd(0.1), 7);
        Watching[] seen = new Watching[1];
        try (DataParallelTrainer a = builder(plain, ordering).build();
             DataParallelTrainer b = builder(watched, ordering)
                     .optDecorator(s -> seen[0] = new Watching(s, forceGradients)).build()) {
            a.fit(epochs);
            b.fit(epochs);
            assertInstanceOf(Watching.class, b.ordering());
            assertEquals(a.ordering().stats(), b.ordering().stats(), "counters are read through the decorator");
            if (ordering.equals("cd-grab")) {
                assertTrue(b.ordering().stats().messages() > 0, "CD-GraB's messages are counted through the decorator");
            }
        }
        TestData.assertSameTrainingState(plain, watched);
        return seen[0];
    }

    @Test
    void decoratedCdGrabTrainsExactlyLikeThePlainOneAndSeesEveryUnit() {
        Watching seen = trainBoth("cd-grab", false, 3);
        // 20 examples per worker in batches of 4: 5 units per worker per epoch.
        assertEquals(3 * WORKERS * 5, seen.observed);
        assertEquals(TestData.mlp(3, 5, 2, new Sgd(0.1), 7).numParams(), seen.length);
    }

    @Test
    void aDecoratorThatAsksForGradientsGetsThemEvenAroundDrr() {
        assertEquals(2 * WORKERS * 5, trainBoth("d-rr", true, 2).observed);
    }

    @Test
    void badDecoratorsAreRejectedAtBuild() {
        MultiLayerNetwork net = TestData.mlp(3, 5, 2, new Sgd(0.1), 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder(net, "cd-grab").optDecorator(s -> null).build());
        assertTrue(e.getMessage().contains("returned null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> builder(net, "cd-grab").optDecorator(s -> OrderingConfig.of("d-rr", 0).create(1, 1, 1)).build());
        assertTrue(e.getMessage().contains("3 worker(s)") && e.getMessage().contains("for 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> builder(net, "cd-grab").optDecorator(null));
        assertTrue(e.getMessage().contains("decorator is null"), e.getMessage());
    }
}
