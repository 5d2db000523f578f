package org.dgrab.dl4j.iterator;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Drop-in {@link MultiDataSetIterator} for {@link ComputationGraph}s with several inputs or outputs: serves the
 * wrapped iterator's mini-batches (the units, one worker) in the order an {@link OrderingStrategy} chooses and
 * swaps to the next order on {@link #reset()}; {@code graph.fit(ordered, epochs)} is all it takes. The builder
 * registers a listener on the graph that hands each mini-batch's gradient to the strategy after the backward pass,
 * before the updater.
 *
 * <p>The wrapped iterator is read once, on first use, and its batches are kept in memory as they are (features,
 * labels and masks of every input and output). A pass without training leaves the ordering alone; a reset in the
 * middle of a trained epoch is an error. Without a graph (orderings that ignore gradients) every complete pass
 * counts as an epoch. Not thread-safe; {@link #asyncSupported()} is false.
 */
public final class OrderedMultiDataSetIterator implements MultiDataSetIterator {
    private static final long serialVersionUID = 1L;

    private final transient MultiDataSetIterator source;
    private final transient OrderingConfig config;
    private transient List<MultiDataSet> batches;
    private transient OrderingStrategy strategy;
    private transient int[] order;
    private transient EpochTracker tracker;
    private final boolean watching;
    private transient MultiDataSetPreProcessor preProcessor;

    private OrderedMultiDataSetIterator(MultiDataSetIterator source, ComputationGraph graph, OrderingConfig config) {
        this.source = source;
        this.config = config;
        this.watching = graph != null;
        if (graph != null) {
            graph.addListeners(new BaseTrainingListener() {
                @Override
                public void onGradientCalculation(Model m) {
                    onGradient(m);
                }
            });
        }
    }

    /**
     * Wraps an iterator.
     *
     * @param source   the iterator to wrap, with labels
     * @param graph    the graph that will be trained on it (required when the ordering uses gradients), or null
     * @param ordering the ordering, e.g. {@code OrderingConfig.of("cd-grab", 0)}
     * @return the wrapper
     */
    public static OrderedMultiDataSetIterator wrap(MultiDataSetIterator source, ComputationGraph graph, OrderingConfig ordering) {
        if (source == null || ordering == null) {
            throw new IllegalArgumentException("source iterator and ordering are required");
        }
        if (ordering.kind().needsGradients() && graph == null) {
            throw new IllegalArgumentException(ordering.kind().id() + " orders by gradients: pass the ComputationGraph");
        }
        return new OrderedMultiDataSetIterator(source, graph, ordering);
    }

    private void ensureMaterialised() {
        if (batches != null) {
            return;
        }
        if (source.resetSupported()) {
            source.reset();
        } else if (!source.hasNext()) {
            throw new IllegalArgumentException("the wrapped iterator is exhausted and cannot reset ("
                    + source.getClass().getSimpleName() + ".resetSupported() is false)");
        }
        List<MultiDataSet> all = new ArrayList<>();
        while (source.hasNext()) {
            MultiDataSet m = source.next();
            int b = all.size();
            if (m.getFeatures() == null || m.getLabels() == null || m.numFeatureArrays() == 0 || m.numLabelsArrays() == 0) {
                throw new IllegalArgumentException("batch " + b + " has no features or no labels; dgrab needs labelled data");
            }
            long n = m.getFeatures(0).size(0);
            for (int i = 0; i < m.numFeatureArrays(); i++) {
                if (m.getFeatures(i).size(0) != n) {
                    throw new IllegalArgumentException("batch " + b + ": features " + i + " has " + m.getFeatures(i).size(0)
                            + " rows, features 0 has " + n);
                }
            }
            for (int i = 0; i < m.numLabelsArrays(); i++) {
                if (m.getLabels(i).size(0) != n) {
                    throw new IllegalArgumentException("batch " + b + " has " + n + " feature rows but labels " + i + " has "
                            + m.getLabels(i).size(0) + " rows");
                }
            }
            all.add(m);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no data: the source produced no batches");
        }
        batches = all;
        strategy = config.create(all.size());
        tracker = new EpochTracker(strategy, watching);
        order = strategy.order(0);
        tracker.startEpoch(all.size());
    }

    /** @return the ordering strategy (materialises the data on first call) */
    public OrderingStrategy ordering() {
        ensureMaterialised();
        return strategy;
    }

    @Override
    public boolean hasNext() {
        ensureMaterialised();
        return tracker.hasNext();
    }

    @Override
    public MultiDataSet next() {
        ensureMaterialised();
        MultiDataSet m = batches.get(order[tracker.nextIndex()]);
        if (preProcessor != null) {
            m = m.copy();
            preProcessor.preProcess(m);
        }
        tracker.served(m.getFeatures(0));
        return m;
    }

    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("OrderedMultiDataSetIterator serves the wrapped iterator's batches; "
                + "next(int) with a custom size is not supported");
    }

    private void onGradient(Model m) {
        if (tracker == null || !(m instanceof ComputationGraph)) {
            return;
        }
        INDArray[] in = ((ComputationGraph) m).getInputs();
        int batch = tracker.gradientFor(in == null || in.length == 0 ? null : in[0]);
        if (batch < 0) {
            return;
        }
        if (strategy.needsGradients()) {
            strategy.observe(0, batch, m.gradient().gradient());
        }
        tracker.trainedOne();
    }

    @Override
    public void reset() {
        ensureMaterialised();
        if (tracker.reset()) {
            order = strategy.order(0);
            tracker.startEpoch(batches.size());
        }
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }
}
