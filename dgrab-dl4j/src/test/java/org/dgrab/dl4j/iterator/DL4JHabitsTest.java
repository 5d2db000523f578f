package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.InvocationType;
import org.deeplearning4j.optimize.listeners.EvaluativeListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Ordinary DL4J habits around the drop-in iterator: evaluating on the training iterator at epoch end, peeking at a
 * batch before fitting, wrapping again, a model that has trained before, ParallelWrapper without its option, and
 * sources that fail or were read before wrapping. Each works, or is refused with its true cause and the fix.
 */
class DL4JHabitsTest {
    private static final DataSet ALL = TestData.blobs(48, 5, 3, 3);

    private static ExistingDataSetIterator source() {
        return new ExistingDataSetIterator(TestData.batches(ALL, 8));
    }

    private static OrderedDataSetIterator wrap(DataSetIterator source, MultiLayerNetwork net) {
        return OrderedDataSetIterator.builder().setSource(source).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 1)).build();
    }

    private static MultiLayerNetwork net() {
        return TestData.mlp(5, 6, 3, new Adam(0.01), 4);
    }

    private static float[] plainRun(int epochs) {
        MultiLayerNetwork ref = net();
        ref.fit(wrap(source(), ref), epochs);
        return TestData.params(ref);
    }

    @Test
    void evaluativeListenerOnTheTrainingIteratorAtEpochEnd() {
        MultiLayerNetwork net = net();
        OrderedDataSetIterator it = wrap(source(), net);
        AtomicInteger passes = new AtomicInteger();
        net.addListeners(new EvaluativeListener(it, 1, InvocationType.EPOCH_END) {
            @Override
            protected void invokeListener(org.deeplearning4j.nn.api.Model model) {
                super.invokeListener(model);
                passes.incrementAndGet();
            }
        });
        net.fit(it, 3);
        assertEquals(3, passes.get());
        assertEquals(3, it.ordering().epoch());
        assertArrayEquals(plainRun(3), TestData.params(net), 0f, "evaluation passes change nothing");
    }

    @Test
    void peekingAtABatchBeforeFittingTrainsEveryBatch() {
        MultiLayerNetwork net = net();
        OrderedDataSetIterator it = wrap(source(), net);
        DataSet peeked = it.next();
        assertEquals(8, peeked.numExamples());
        net.fit(it, 2);
        assertEquals(2, it.ordering().epoch());
        assertArrayEquals(plainRun(2), TestData.params(net), 0f);
    }

    @Test
    void wrappingAgainReplacesTheFirstWrappersListener() {
        MultiLayerNetwork net = net();
        OrderedDataSetIterator first = wrap(source(), net);
        net.fit(first, 1);
        OrderedDataSetIterator second = wrap(source(), net);
        long dgrabListeners = net.getListeners().stream().filter(l -> l instanceof GradientListener).count();
        assertEquals(1, dgrabListeners, "one dgrab listener observes the model: " + net.getListeners());
        net.fit(second, 1);
        assertEquals(1, second.ordering().epoch());
        assertEquals(1, first.ordering().epoch(), "the first wrapper saw nothing of the second's training");
    }

    @Test
    void parallelWrapperWithoutItsOptionIsRefusedNamingIt() throws Exception {
        MultiLayerNetwork net = net();
        OrderedDataSetIterator it = wrap(source(), net);
        try (ParallelWrapper pw = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(0).averagingFrequency(1)
                .build()) {
            Exception e = assertThrows(Exception.class, () -> pw.fit(it));
            Throwable t = e;
            StringBuilder all = new StringBuilder();
            while (t != null) {
                all.append(t.getMessage()).append(" | ");
                t = t.getCause();
            }
            assertTrue(all.toString().contains("built without optParallelWrapper(n)"), all.toString());
        }
    }

    @Test
    void aSourceFailingMidwayIsNeverTrainedOnPartly() {
        // Throws during the first read and cannot reset: the failure says how far it got, and a retry is refused
        // instead of training on the batches after the failure.
        OnceIterator failing = new OnceIterator(TestData.batches(ALL, 8), 3);
        OrderedDataSetIterator it = wrap(failing, net());
        IllegalStateException first = assertThrows(IllegalStateException.class, it::hasNext);
        assertTrue(first.getMessage().contains("failed at batch 3 (after 3 batches, 24 examples)"), first.getMessage());
        IllegalStateException retry = assertThrows(IllegalStateException.class, it::hasNext);
        assertTrue(retry.getMessage().contains("cannot reset") && retry.getMessage().contains("build a new source"),
                retry.getMessage());

        // The same failure on a source that can reset: the retry reads it again from its first batch, whole.
        OrderedDataSetIterator again = wrap(new ExistingDataSetIterator(TestData.batches(ALL, 8)) {
            private boolean failed;

            @Override
            public DataSet next() {
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("disk hiccup");
                }
                return super.next();
            }
        }, net());
        assertThrows(IllegalStateException.class, again::hasNext);
        assertTrue(again.hasNext());
        assertEquals(48, again.source().examples());
    }

    @Test
    void aModelThatTrainedBeforeIsWarnedAboutOnce() {
        MultiLayerNetwork net = net();
        net.fit(source(), 1);
        String log = capturedErr(() -> net.fit(wrap(source(), net), 2));
        assertTrue(log.contains("has trained 6 iterations already") && log.contains("OrderingCheckpoint.restore"), log);
        assertEquals(log.indexOf("iterations already"), log.lastIndexOf("iterations already"), "warned once");
    }

    @Test
    void aPreProcessorSetOnACopiedSourceLaterIsToldAbout() {
        ExistingDataSetIterator src = source();
        MultiLayerNetwork net = net();
        OrderedDataSetIterator it = wrap(src, net);
        net.fit(it, 1);
        src.setPreProcessor(d -> d.getFeatures().muli(2));
        String log = capturedErr(() -> net.fit(it, 2));
        assertTrue(log.contains("a pre-processor was set on the wrapped ExistingDataSetIterator after dgrab copied it")
                && log.contains("ordered.setPreProcessor"), log);
        assertEquals(log.indexOf("after dgrab copied it"), log.lastIndexOf("after dgrab copied it"), "told once");
    }

    private static String capturedErr(Runnable r) {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            r.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString();
    }

    /** A non-resettable iterator over batches that may throw once at a given batch. */
    private static final class OnceIterator extends ExistingDataSetIterator {
        private final List<DataSet> batches;
        private int next;
        private int failAt;

        OnceIterator(List<DataSet> batches, int failAt) {
            super(new ArrayList<>(batches));
            this.batches = batches;
            this.failAt = failAt;
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("cannot reset");
        }

        @Override
        public boolean hasNext() {
            return next < batches.size();
        }

        @Override
        public DataSet next() {
            if (next == failAt) {
                failAt = -1;
                throw new IllegalStateException("disk hiccup at batch " + next);
            }
            return batches.get(next++);
        }
    }
}
