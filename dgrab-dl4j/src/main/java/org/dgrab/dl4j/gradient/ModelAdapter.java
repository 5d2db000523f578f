package org.dgrab.dl4j.gradient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.StepFunction;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.deeplearning4j.optimize.stepfunctions.NegativeGradientStepFunction;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * One view of {@link MultiLayerNetwork} and {@link ComputationGraph} for the trainer: set a batch, compute the
 * (summed) gradient, apply an update through the model's own updater, and fire the model's own listeners, exactly
 * as DL4J's {@code StochasticGradientDescent.optimize} does.
 */
public abstract class ModelAdapter {
    /** The wrapped model. */
    protected final Model model;
    private StepFunction stepFunction;
    private Gradient viewGradient;

    private ModelAdapter(Model model) {
        this.model = model;
    }

    /**
     * Wraps a model.
     *
     * @param model a {@link MultiLayerNetwork} or {@link ComputationGraph}, initialised
     * @return the adapter
     * @throws IllegalArgumentException for other model types or an optimisation algorithm other than SGD
     */
    public static ModelAdapter of(Model model) {
        ModelAdapter a;
        if (model instanceof MultiLayerNetwork) {
            a = new Mln((MultiLayerNetwork) model);
        } else if (model instanceof ComputationGraph) {
            a = new Graph((ComputationGraph) model);
        } else {
            throw new IllegalArgumentException("dgrab supports MultiLayerNetwork and ComputationGraph, got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        // Checks the optimisation algorithm now, before any training, rather than at the first update.
        a.step();
        return a;
    }

    /** @return the wrapped model */
    public Model model() {
        return model;
    }

    /** @return true for a {@link ComputationGraph} */
    public abstract boolean isGraph();

    /**
     * Sets features, labels and masks of the next gradient computation.
     *
     * @param batch a DataSet
     */
    public abstract void setBatch(DataSet batch);

    /**
     * Sets features, labels and masks of the next gradient computation.
     *
     * @param batch a MultiDataSet
     */
    public abstract void setBatch(MultiDataSet batch);

    /**
     * Sets some stored examples as the next batch: a {@code MultiDataSet} when the store was built from
     * {@code MultiDataSet}s (several inputs or outputs), else a {@code DataSet}.
     *
     * @param data     the examples
     * @param examples indices of the batch's examples, in order
     */
    public void setBatch(org.dgrab.dl4j.data.ExampleStore data, int[] examples) {
        if (data.isMulti()) {
            setBatch(data.multiBatch(examples));
        } else {
            setBatch(data.batch(examples));
        }
    }

    /**
     * Forward and backward pass on the current batch. Afterwards {@link #gradientView()} holds the gradient summed
     * over the batch's examples (DL4J divides by the batch size later, in the updater).
     *
     * @return the score (mean loss plus regularisation) of the batch
     */
    public double computeGradient() {
        model.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        return model.score();
    }

    /** @return the model's flattened gradient array (a view the updater works in), allocated on first use */
    public abstract INDArray gradientView();

    /**
     * Where the flattened gradient holds running statistics instead of gradients: the parameters whose "gradient"
     * DL4J's updater does not divide by the batch size ({@code Trainable.updaterDivideByMinibatch} is false), such
     * as {@code BatchNormalization}'s global mean and variance, whose "gradient" is the update of the estimate.
     * Summed over n workers such an entry would move the estimate n times; a data-parallel step averages it.
     *
     * @return {@code {offset, length}} pairs into {@link #gradientView()} (the same layout as {@link #params()}),
     *         in increasing offset order; empty for models without such parameters
     */
    public long[][] statisticRanges() {
        INDArray all = model.params();
        List<long[]> out = new ArrayList<>();
        for (Layer layer : layers()) {
            for (java.util.Map.Entry<String, INDArray> e : layer.paramTable(false).entrySet()) {
                if (!layer.updaterDivideByMinibatch(e.getKey())) {
                    // Parameter arrays are views of the flattened parameters, and the gradient view mirrors them.
                    out.add(new long[] {e.getValue().offset() - all.offset(), e.getValue().length()});
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(r -> r[0]));
        return out.toArray(new long[0][]);
    }

    /**
     * Checks that stored examples fit the model's inputs and outputs.
     *
     * @param data the examples
     * @throws IllegalArgumentException naming both counts if they differ
     */
    public void checkData(org.dgrab.dl4j.data.ExampleStore data) {
        int in = inputCount();
        int out = outputCount();
        if (data.inputs() != in || data.outputs() != out) {
            throw new IllegalArgumentException("the data has " + data.inputs() + " feature array(s) and " + data.outputs()
                    + " label array(s) per example, but the " + (isGraph() ? "ComputationGraph" : "MultiLayerNetwork")
                    + " takes " + in + " input(s) and " + out + " output(s)");
        }
    }

    /** @return number of network inputs */
    protected abstract int inputCount();

    /** @return number of network outputs */
    protected abstract int outputCount();

    /** @return the model's layers */
    protected abstract Layer[] layers();

    /** @return the model's flattened parameters (a view) */
    public INDArray params() {
        return model.params();
    }

    /** @return the model's listeners */
    public Collection<TrainingListener> listeners() {
        Collection<TrainingListener> l = model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).getListeners()
                : ((ComputationGraph) model).getListeners();
        return l == null ? List.of() : new ArrayList<>(l);
    }

    /**
     * Applies the gradient currently in {@link #gradientView()} the way {@code StochasticGradientDescent} does:
     * listeners' {@code onGradientCalculation}, the updater (division by batch size, gradient normalisation,
     * regularisation, learning rate), the step, {@code iterationDone}, the iteration count and constraints.
     *
     * @param batchSize number of examples the gradient sums over
     */
    public void applyUpdate(int batchSize) {
        Collection<TrainingListener> ls = listeners();
        for (TrainingListener l : ls) {
            l.onGradientCalculation(model);
        }
        int iteration = BaseOptimizer.getIterationCount(model);
        int epoch = BaseOptimizer.getEpochCount(model);
        update(gradient(), iteration, epoch, batchSize);
        INDArray params = model.params();
        INDArray g = gradientView();
        step().step(params.reshape(params.length()), g.reshape(g.length()));
        for (TrainingListener l : ls) {
            l.iterationDone(model, iteration, epoch);
        }
        BaseOptimizer.incrementIterationCount(model, 1);
        applyConstraints(BaseOptimizer.getIterationCount(model), epoch);
    }

    private StepFunction step() {
        if (stepFunction == null) {
            NeuralNetConfiguration conf = conf();
            if (conf.getOptimizationAlgo() != OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT) {
                throw new IllegalArgumentException("dgrab trains with stochastic gradient descent; the model is configured for "
                        + conf.getOptimizationAlgo());
            }
            StepFunction sf = conf.getStepFunction() == null ? null
                    : org.deeplearning4j.optimize.stepfunctions.StepFunctions.createStepFunction(conf.getStepFunction());
            // StochasticGradientDescent's default when the configuration names none.
            stepFunction = sf != null ? sf : new NegativeGradientStepFunction();
        }
        return stepFunction;
    }

    /** @return the model's (first layer's) configuration, which holds optimisation settings */
    protected abstract NeuralNetConfiguration conf();

    /**
     * The gradient object handed to the updater: the model's own from its last computation when that one is a
     * view of {@link #gradientView()} (as after any {@code computeGradientAndScore} of this model), else one built
     * over the same views. The latter happens when the gradient was computed in replicas and copied into this
     * model, which then never ran a backward pass itself.
     *
     * @return the gradient object
     */
    protected Gradient gradient() {
        Gradient g = model.gradient();
        INDArray view = gradientView();
        if (g != null && g.gradient() == view) {
            return g;
        }
        if (viewGradient == null || viewGradient.gradient() != view) {
            viewGradient = buildViewGradient(view);
        }
        return viewGradient;
    }

    /**
     * Builds a gradient object whose arrays are views of the flattened gradient, keyed as the model's updater
     * expects ({@code <layer>_<param>}).
     *
     * @param view the flattened gradient
     * @return the gradient object
     */
    protected abstract Gradient buildViewGradient(INDArray view);

    /**
     * Adds one layer's per-parameter gradient views.
     *
     * @param g      gradient object to fill
     * @param prefix key prefix (layer index or name)
     * @param layer  the layer
     */
    static void addLayerViews(org.deeplearning4j.nn.gradient.DefaultGradient g, String prefix, Layer layer) {
        if (layer.numParams() == 0 || layer.getGradientsViewArray() == null) {
            return;
        }
        java.util.Map<String, INDArray> views = layer.conf().getLayer().initializer()
                .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
        for (java.util.Map.Entry<String, INDArray> e : views.entrySet()) {
            g.setGradientFor(prefix + "_" + e.getKey(), e.getValue());
        }
    }

    /**
     * Runs the model's own updater on the gradient.
     *
     * @param g         gradient
     * @param iteration iteration count
     * @param epoch     epoch count
     * @param batchSize examples summed into the gradient
     */
    protected abstract void update(Gradient g, int iteration, int epoch, int batchSize);

    /**
     * Applies parameter constraints.
     *
     * @param iteration iteration
     * @param epoch     epoch
     */
    protected abstract void applyConstraints(int iteration, int epoch);

    /** Fires {@code onEpochStart} on the model's listeners. */
    public void epochStart() {
        for (TrainingListener l : listeners()) {
            l.onEpochStart(model);
        }
    }

    /** Fires {@code onEpochEnd} on the model's listeners and increments the model's epoch count, as fit does. */
    public void epochEnd() {
        for (TrainingListener l : listeners()) {
            l.onEpochEnd(model);
        }
        incrementEpoch();
    }

    /** Increments the model's epoch count. */
    protected abstract void incrementEpoch();

    /** @return the model's epoch count */
    public int epochCount() {
        return BaseOptimizer.getEpochCount(model);
    }

    /** @return the model's iteration count */
    public int iterationCount() {
        return BaseOptimizer.getIterationCount(model);
    }

    /** @return a deep copy (parameters, configuration, updater state), without listeners */
    public abstract ModelAdapter replica();

    /**
     * A model of the same configuration whose parameters are this model's own array, not a copy: it computes
     * gradients at this model's current parameters into a gradient array of its own, with nothing to synchronise
     * but the iteration and epoch counts ({@link #followCounts}). No listeners; its updater is never used.
     *
     * @return the sharing replica
     */
    public abstract ModelAdapter sharingReplica();

    /**
     * Copies another model's iteration and epoch counts into this one, so that schedules (learning rate, dropout)
     * see the same counts in a replica as in the model it stands in for.
     *
     * @param other the model to follow
     */
    public void followCounts(ModelAdapter other) {
        setCounts(other.iterationCount(), other.epochCount());
    }

    /**
     * @param iteration iteration count
     * @param epoch     epoch count
     */
    protected abstract void setCounts(int iteration, int epoch);

    /**
     * Sets the score the model reports to listeners ({@code model.score()}), e.g. the mean loss of a step whose
     * gradients other models computed.
     *
     * @param score the score
     */
    public abstract void setScore(double score);

    /** @return the output layer, for last-layer gradients */
    public abstract Layer outputLayer();

    /** @return the input pre-processor applied before the output layer, or null */
    public abstract org.deeplearning4j.nn.conf.InputPreProcessor outputPreProcessor();

    /** @return number of examples in the current batch */
    public abstract int batchSize();

    /**
     * Writes the model with its updater state ({@link ModelSerializer}).
     *
     * @param out sink, not closed
     * @throws IOException on failure
     */
    public void save(OutputStream out) throws IOException {
        ModelSerializer.writeModel(model, new org.apache.commons.io.output.CloseShieldOutputStream(out), true);
    }

    /**
     * Loads parameters and updater state written by {@link #save} into this model (same configuration).
     *
     * @param in source, not closed
     * @throws IOException on failure or a different architecture
     */
    public abstract void load(InputStream in) throws IOException;

    private static final class Mln extends ModelAdapter {
        private final MultiLayerNetwork net;

        Mln(MultiLayerNetwork net) {
            super(net);
            this.net = net;
            if (net.params() == null || net.getLayers() == null) {
                throw new IllegalArgumentException("MultiLayerNetwork is not initialised; call net.init() first");
            }
        }

        @Override
        public boolean isGraph() {
            return false;
        }

        @Override
        protected Layer[] layers() {
            return net.getLayers();
        }

        @Override
        protected int inputCount() {
            return 1;
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        public void setBatch(DataSet b) {
            net.setInput(b.getFeatures());
            net.setLabels(b.getLabels());
            if (b.getFeaturesMaskArray() != null || b.getLabelsMaskArray() != null) {
                net.setLayerMaskArrays(b.getFeaturesMaskArray(), b.getLabelsMaskArray());
            } else {
                net.clearLayerMaskArrays();
            }
        }

        @Override
        public void setBatch(MultiDataSet b) {
            if (b.numFeatureArrays() != 1 || b.numLabelsArrays() != 1) {
                throw new IllegalArgumentException("a MultiLayerNetwork takes one features and one labels array, got "
                        + b.numFeatureArrays() + " and " + b.numLabelsArrays());
            }
            setBatch(new org.nd4j.linalg.dataset.DataSet(b.getFeatures(0), b.getLabels(0),
                    b.getFeaturesMaskArray(0), b.getLabelsMaskArray(0)));
        }

        @Override
        public INDArray gradientView() {
            if (net.getFlattenedGradients() == null) {
                // DL4J allocates the gradient array on the first backward pass.
                net.initGradientsView();
            }
            return net.getFlattenedGradients();
        }

        @Override
        protected Gradient buildViewGradient(INDArray view) {
            org.deeplearning4j.nn.gradient.DefaultGradient g = new org.deeplearning4j.nn.gradient.DefaultGradient(view);
            Layer[] layers = net.getLayers();
            for (int i = 0; i < layers.length; i++) {
                addLayerViews(g, String.valueOf(i), layers[i]);
            }
            return g;
        }

        @Override
        protected NeuralNetConfiguration conf() {
            return net.getLayer(0).conf();
        }

        @Override
        protected void update(Gradient g, int iteration, int epoch, int batchSize) {
            net.getUpdater().update(net, g, iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
        }

        @Override
        protected void applyConstraints(int iteration, int epoch) {
            net.applyConstraints(iteration, epoch);
        }

        @Override
        protected void incrementEpoch() {
            net.incrementEpochCount();
        }

        @Override
        public ModelAdapter replica() {
            MultiLayerNetwork c = net.clone();
            c.setListeners(new ArrayList<TrainingListener>());
            return new Mln(c);
        }

        @Override
        public ModelAdapter sharingReplica() {
            MultiLayerNetwork c = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
            c.init(net.params(), false);
            return new Mln(c);
        }

        @Override
        protected void setCounts(int iteration, int epoch) {
            net.setIterationCount(iteration);
            net.setEpochCount(epoch);
        }

        @Override
        public void setScore(double score) {
            net.setScore(score);
        }

        @Override
        public Layer outputLayer() {
            return net.getOutputLayer();
        }

        @Override
        public org.deeplearning4j.nn.conf.InputPreProcessor outputPreProcessor() {
            return net.getLayerWiseConfigurations().getInputPreProcess(net.getnLayers() - 1);
        }

        @Override
        public int batchSize() {
            return net.batchSize();
        }

        @Override
        public void load(InputStream in) throws IOException {
            MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(
                    new org.apache.commons.io.input.CloseShieldInputStream(in), true);
            if (loaded.params().length() != net.params().length()) {
                throw new IOException("checkpoint model has " + loaded.params().length() + " parameters, this model has "
                        + net.params().length());
            }
            net.params().assign(loaded.params());
            if (loaded.getUpdater() != null && loaded.getUpdater().getStateViewArray() != null) {
                net.getUpdater().getStateViewArray().assign(loaded.getUpdater().getStateViewArray());
            }
            net.setIterationCount(loaded.getIterationCount());
            net.setEpochCount(loaded.getEpochCount());
        }
    }

    private static final class Graph extends ModelAdapter {
        private final ComputationGraph graph;

        Graph(ComputationGraph graph) {
            super(graph);
            this.graph = graph;
            if (graph.params() == null || graph.getLayers() == null) {
                throw new IllegalArgumentException("ComputationGraph is not initialised; call graph.init() first");
            }
        }

        @Override
        public boolean isGraph() {
            return true;
        }

        @Override
        protected Layer[] layers() {
            return graph.getLayers();
        }

        @Override
        protected int inputCount() {
            return graph.getConfiguration().getNetworkInputs().size();
        }

        @Override
        protected int outputCount() {
            return graph.getConfiguration().getNetworkOutputs().size();
        }

        @Override
        public void setBatch(DataSet b) {
            graph.setInputs(b.getFeatures());
            graph.setLabels(b.getLabels());
            if (b.getFeaturesMaskArray() != null || b.getLabelsMaskArray() != null) {
                graph.setLayerMaskArrays(b.getFeaturesMaskArray() == null ? null : new INDArray[] {b.getFeaturesMaskArray()},
                        b.getLabelsMaskArray() == null ? null : new INDArray[] {b.getLabelsMaskArray()});
            } else {
                graph.clearLayerMaskArrays();
            }
        }

        @Override
        public void setBatch(MultiDataSet b) {
            graph.setInputs(b.getFeatures());
            graph.setLabels(b.getLabels());
            if (b.hasMaskArrays()) {
                graph.setLayerMaskArrays(b.getFeaturesMaskArrays(), b.getLabelsMaskArrays());
            } else {
                graph.clearLayerMaskArrays();
            }
        }

        @Override
        public INDArray gradientView() {
            if (graph.getFlattenedGradients() == null) {
                // DL4J allocates the gradient array on the first backward pass.
                graph.initGradientsView();
            }
            return graph.getFlattenedGradients();
        }

        @Override
        protected Gradient buildViewGradient(INDArray view) {
            org.deeplearning4j.nn.gradient.DefaultGradient g = new org.deeplearning4j.nn.gradient.DefaultGradient(view);
            for (Layer l : graph.getLayers()) {
                addLayerViews(g, l.conf().getLayer().getLayerName(), l);
            }
            return g;
        }

        @Override
        protected NeuralNetConfiguration conf() {
            return graph.getLayers()[0].conf();
        }

        @Override
        protected void update(Gradient g, int iteration, int epoch, int batchSize) {
            graph.getUpdater().update(g, iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
        }

        @Override
        protected void applyConstraints(int iteration, int epoch) {
            graph.applyConstraints(iteration, epoch);
        }

        @Override
        protected void incrementEpoch() {
            graph.incrementEpochCount();
        }

        @Override
        public ModelAdapter replica() {
            ComputationGraph c = graph.clone();
            c.setListeners(new ArrayList<TrainingListener>());
            return new Graph(c);
        }

        @Override
        public ModelAdapter sharingReplica() {
            ComputationGraph c = new ComputationGraph(graph.getConfiguration().clone());
            c.init(graph.params(), false);
            return new Graph(c);
        }

        @Override
        protected void setCounts(int iteration, int epoch) {
            graph.getConfiguration().setIterationCount(iteration);
            graph.getConfiguration().setEpochCount(epoch);
        }

        @Override
        public void setScore(double score) {
            graph.setScore(score);
        }

        @Override
        public Layer outputLayer() {
            String[] outs = graph.getConfiguration().getNetworkOutputs().toArray(new String[0]);
            if (outs.length != 1) {
                throw new IllegalArgumentException("last-layer gradients need exactly one network output, got " + outs.length);
            }
            GraphVertex v = graph.getVertex(outs[0]);
            return v.getLayer();
        }

        @Override
        public org.deeplearning4j.nn.conf.InputPreProcessor outputPreProcessor() {
            String out = graph.getConfiguration().getNetworkOutputs().get(0);
            org.deeplearning4j.nn.conf.graph.GraphVertex v = graph.getConfiguration().getVertices().get(out);
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex) {
                return ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getPreProcessor();
            }
            return null;
        }

        @Override
        public int batchSize() {
            return graph.batchSize();
        }

        @Override
        public void load(InputStream in) throws IOException {
            ComputationGraph loaded = ModelSerializer.restoreComputationGraph(
                    new org.apache.commons.io.input.CloseShieldInputStream(in), true);
            if (loaded.params().length() != graph.params().length()) {
                throw new IOException("checkpoint model has " + loaded.params().length() + " parameters, this model has "
                        + graph.params().length());
            }
            graph.params().assign(loaded.params());
            if (loaded.getUpdater() != null && loaded.getUpdater().getStateViewArray() != null) {
                graph.getUpdater().getStateViewArray().assign(loaded.getUpdater().getStateViewArray());
            }
            graph.getConfiguration().setIterationCount(loaded.getIterationCount());
            graph.getConfiguration().setEpochCount(loaded.getEpochCount());
        }
    }
}
