package org.dgrab.dl4j.internal.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Map;

import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * One view of a DL4J model for the trainer: set a batch, compute the (summed) gradient, apply an update through the
 * model's own updater and listeners exactly as DL4J's {@code StochasticGradientDescent.optimize} does
 * ({@link UpdateStep}), make replicas, and save or load parameters with updater state. {@link #of} picks the
 * adapter of the model's type. Call order per step: {@link #setBatch}, {@link #computeGradient()} (any number of
 * times, the gradient is in {@link #gradientView()}), then {@link #applyUpdate(int)}; {@link #epochStart()} and
 * {@link #epochEnd()} around each epoch. Not thread-safe; one adapter per model.
 */
public abstract class ModelAdapter {
    private final Model model;
    private final UpdateStep update;
    private Gradient viewGradient;
    private final RankOneView gradientVector = new RankOneView();

    /**
     * @param model the wrapped model, initialised
     * @param conf  its (first layer's) configuration, which holds the optimisation settings
     */
    ModelAdapter(Model model, NeuralNetConfiguration conf) {
        this.model = model;
        // Checks the optimisation algorithm now, before any training, rather than at the first update.
        this.update = new UpdateStep(conf);
    }

    /**
     * Wraps a model.
     *
     * @param model a {@link MultiLayerNetwork} or {@link ComputationGraph}, initialised
     * @return the adapter of the model's type
     * @throws IllegalArgumentException for other model types, an uninitialised model or an optimisation algorithm
     *                                  other than SGD
     */
    public static ModelAdapter of(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return new MultiLayerNetworkAdapter((MultiLayerNetwork) model);
        }
        if (model instanceof ComputationGraph) {
            return new ComputationGraphAdapter((ComputationGraph) model);
        }
        throw new IllegalArgumentException("dgrab supports MultiLayerNetwork and ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
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
    public void setBatch(ExampleStore data, int[] examples) {
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
     * {@link #gradientView()} as a rank-1 view of the same memory, made once per gradient array. Handing a gradient
     * to the ordering every step would otherwise reshape it every step, and each reshape costs a native shape
     * buffer that ND4J's deallocator thread later frees, on the core the ordering thread needs.
     *
     * @return the rank-1 view, or the gradient array itself when it is not a contiguous vector
     */
    public INDArray gradientVector() {
        return gradientVector.of(gradientView());
    }

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
        return StatisticRanges.of(layers(), model.params());
    }

    /**
     * Checks that stored examples fit the model's inputs and outputs.
     *
     * @param data the examples
     * @throws IllegalArgumentException naming both counts if they differ
     */
    public void checkData(ExampleStore data) {
        int in = inputCount();
        int out = outputCount();
        if (data.inputs() != in || data.outputs() != out) {
            throw new IllegalArgumentException("the data has " + data.inputs() + " feature array(s) and " + data.outputs()
                    + " label array(s) per example, but the " + typeName()
                    + " takes " + in + " input(s) and " + out + " output(s)");
        }
    }

    /** @return number of network inputs */
    abstract int inputCount();

    /** @return number of network outputs */
    abstract int outputCount();

    /** @return the model's layers */
    abstract Layer[] layers();

    /** @return the model's flattened parameters (a view) */
    public INDArray params() {
        return model.params();
    }

    /** @return a copy of the model's listeners (empty if none) */
    public abstract Collection<TrainingListener> listeners();

    /**
     * Applies the gradient currently in {@link #gradientView()} the way {@code StochasticGradientDescent} does:
     * listeners' {@code onGradientCalculation}, the updater (division by batch size, gradient normalisation,
     * regularisation, learning rate), the step, {@code iterationDone}, the iteration count and constraints.
     *
     * @param batchSize number of examples the gradient sums over
     */
    public void applyUpdate(int batchSize) {
        update.apply(this, batchSize);
    }

    /**
     * The gradient object handed to the updater: the model's own from its last computation when that one is a
     * view of {@link #gradientView()} (as after any {@code computeGradientAndScore} of this model), else one built
     * over the same views. The latter happens when the gradient was computed in replicas and copied into this
     * model, which then never ran a backward pass itself.
     *
     * @return the gradient object
     */
    Gradient gradient() {
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
     * Sets this model's input and labels to another model's current ones (the arrays, not copies), so that
     * listeners reading {@code model.batchSize()} or the input (StatsListener) find a batch in a model whose
     * gradients replicas computed.
     *
     * @param other a model of the same type and configuration
     */
    public abstract void takeBatchOf(ModelAdapter other);

    /**
     * Makes {@code model.gradient()} return the given gradient object.
     *
     * @param g the gradient (views of {@link #gradientView()})
     */
    abstract void setModelGradient(Gradient g);

    /**
     * Builds a gradient object whose arrays are views of the flattened gradient, keyed as the model's updater
     * expects ({@code <layer>_<param>}).
     *
     * @param view the flattened gradient
     * @return the gradient object
     */
    abstract Gradient buildViewGradient(INDArray view);

    /**
     * Adds one layer's per-parameter gradient views.
     *
     * @param g      gradient object to fill
     * @param prefix key prefix (layer index or name)
     * @param layer  the layer
     */
    static void addLayerViews(DefaultGradient g, String prefix, Layer layer) {
        if (layer.numParams() == 0 || layer.getGradientsViewArray() == null) {
            return;
        }
        Map<String, INDArray> views = layer.conf().getLayer().initializer()
                .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
        for (Map.Entry<String, INDArray> e : views.entrySet()) {
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
    abstract void runUpdater(Gradient g, int iteration, int epoch, int batchSize);

    /**
     * Applies parameter constraints.
     *
     * @param iteration iteration
     * @param epoch     epoch
     */
    abstract void applyConstraints(int iteration, int epoch);

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

    /** Increments the model's epoch count (as {@code fit} does at the end of an epoch). */
    abstract void incrementEpoch();

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
    abstract void setCounts(int iteration, int epoch);

    /**
     * Sets the score the model reports to listeners ({@code model.score()}), e.g. the mean loss of a step whose
     * gradients other models computed.
     *
     * @param score the score
     */
    public abstract void setScore(double score);

    /** @return number of examples in the current batch */
    public abstract int batchSize();

    /**
     * Writes the model with its updater state ({@link ModelSerializer}).
     *
     * @param out sink, not closed
     * @throws IOException on failure
     */
    public void save(OutputStream out) throws IOException {
        ModelSerializer.writeModel(model, new CloseShieldOutputStream(out), true);
    }

    /**
     * Loads parameters, updater state and counts written by {@link #save} into this model.
     *
     * @param in source, not closed
     * @throws IOException on failure or a model of another configuration (nothing is changed then)
     */
    public void load(InputStream in) throws IOException {
        read(in).apply();
    }

    /**
     * Reads and checks a model written by {@link #save} (or any DL4J model zip with updater state) without changing
     * this model, so that a caller can check everything else before applying it.
     *
     * @param in source, not closed
     * @return the checked model, to {@link LoadedModel#apply()}
     * @throws IOException if the stream holds no model of this type, or one whose configuration (apart from its
     *                     iteration and epoch counts), parameter count or updater state differs from this model's
     */
    public LoadedModel read(InputStream in) throws IOException {
        Model loaded;
        try {
            loaded = restore(new CloseShieldInputStream(in));
        } catch (IOException | RuntimeException e) {
            throw new IOException("checkpoint holds no readable " + typeName() + ": " + e.getMessage(), e);
        }
        return LoadedModel.check(this, loaded);
    }

    /** @return "MultiLayerNetwork" or "ComputationGraph" */
    String typeName() {
        return isGraph() ? "ComputationGraph" : "MultiLayerNetwork";
    }

    /**
     * @param in a DL4J model zip
     * @return the model of this adapter's type, with its updater state
     * @throws IOException if it cannot be read
     */
    abstract Model restore(InputStream in) throws IOException;

    /**
     * @param m a model of this adapter's type
     * @return its configuration as JSON
     */
    abstract String configurationJson(Model m);

    /**
     * @param m      a model of this adapter's type
     * @param create whether to create the updater if the model has none yet
     * @return its updater's state array, or null if it has none
     */
    abstract INDArray updaterState(Model m, boolean create);
}
